// The whole library: every loss, its options and its errors. Each header also works alone.
#ifndef LOSSES_LOSSES_HPP
#define LOSSES_LOSSES_HPP

#include "binary_cross_entropy.hpp"
#include "categorical_cross_entropy.hpp"
#include "errors.hpp"
#include "log_loss.hpp"
#include "mean_squared_error.hpp"
#include "metrics.hpp"
#include "reduction.hpp"
#include "sparse_categorical_cross_entropy.hpp"
#include "value_and_gradient.hpp"
#include "version.hpp"

#endif  // LOSSES_LOSSES_HPP
