// The public entry points every loss offers, written once: the overloads, the type and
// shape checks common to all losses, and the packaging of results. Each loss supplies
// compute() (the reduced value and, optionally, the gradient in one pass) and
// compute_per_sample().
#ifndef LOSSES_DETAIL_ENTRY_POINTS_HPP
#define LOSSES_DETAIL_ENTRY_POINTS_HPP

#include <Eigen/Core>
#include <type_traits>
#include <utility>

#include "../value_and_gradient.hpp"
#include "checks.hpp"
#include "weights.hpp"

namespace losses::detail {

/// Tag: the caller wants no gradient.
struct NoGradient {};

template <class Loss, class Scalar>
class EntryPoints {
  static_assert(std::is_floating_point_v<Scalar>, "losses: Scalar must be float, double or long double");

 public:
  /// The column vector type of per-sample values.
  using Vector = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  /// The (column-major) array type of gradients and per-element values.
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

  /// The reduced loss.
  template <class YT, class YP>
  Scalar operator()(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred) const {
    check_prediction_type<YP>();
    NoGradient none;
    return self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), NoWeights{}, none, std::true_type{});
  }

  /// The reduced loss, weighted: `sample_weight` has one weight per sample (length N)
  /// or, for element-wise losses, one per element (y_pred's shape).
  template <class YT, class YP, class W>
  Scalar operator()(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                    const Eigen::DenseBase<W>& sample_weight) const {
    check_prediction_type<YP>();
    check_weight_type<W>();
    NoGradient none;
    return self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), view(evaluated(sample_weight)), none, std::true_type{});
  }

  /// The N unweighted per-sample losses.
  template <class YT, class YP>
  Vector per_sample(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred) const {
    check_prediction_type<YP>();
    return self().compute_per_sample(view(evaluated(y_true)), view(evaluated(y_pred)));
  }

  /// The gradient of the reduced loss with respect to y_pred, with y_pred's shape.
  template <class YT, class YP>
  Array gradient(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred) const {
    check_prediction_type<YP>();
    Array g(y_pred.rows(), y_pred.cols());
    self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), NoWeights{}, output_view(g), std::false_type{});
    return g;
  }

  /// The gradient of the weighted reduced loss with respect to y_pred.
  template <class YT, class YP, class W>
  Array gradient(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                 const Eigen::DenseBase<W>& sample_weight) const {
    check_prediction_type<YP>();
    check_weight_type<W>();
    Array g(y_pred.rows(), y_pred.cols());
    self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), view(evaluated(sample_weight)), output_view(g), std::false_type{});
    return g;
  }

  /// The reduced loss and its gradient, in one pass.
  template <class YT, class YP>
  ValueAndGradient<Scalar> value_and_gradient(const Eigen::DenseBase<YT>& y_true,
                                              const Eigen::DenseBase<YP>& y_pred) const {
    check_prediction_type<YP>();
    ValueAndGradient<Scalar> result{Scalar(0), Array(y_pred.rows(), y_pred.cols())};
    result.value = self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), NoWeights{}, output_view(result.gradient), std::true_type{});
    return result;
  }

  /// The weighted reduced loss and its gradient, in one pass.
  template <class YT, class YP, class W>
  ValueAndGradient<Scalar> value_and_gradient(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                                              const Eigen::DenseBase<W>& sample_weight) const {
    check_prediction_type<YP>();
    check_weight_type<W>();
    ValueAndGradient<Scalar> result{Scalar(0), Array(y_pred.rows(), y_pred.cols())};
    result.value = self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), view(evaluated(sample_weight)), output_view(result.gradient),
                                  std::true_type{});
    return result;
  }

  /// The reduced loss, with its gradient written into caller-owned storage: what a
  /// training loop calls. Allocates nothing for plain, Map, block and transpose inputs.
  ///
  /// `gradient_out` is any writable Eigen object with y_pred's shape (a plain Array or
  /// Matrix, a Map, a block such as `g.block(...)`, passed as a temporary if need be).
  /// It must not share memory with an input.
  /// @throws losses::ArgumentError (std::invalid_argument) for a wrong shape or shared memory.
  template <class YT, class YP, class G>
  Scalar value_and_gradient_into(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                                 G&& gradient_out) const {
    check_prediction_type<YP>();
    check_output(gradient_out, y_pred);
    check_not_shared(gradient_out, y_true, "y_true");
    check_not_shared(gradient_out, y_pred, "y_pred");
    return self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), NoWeights{}, output_view(gradient_out.derived()),
                          std::true_type{});
  }

  /// As above, weighted.
  template <class YT, class YP, class G, class W>
  Scalar value_and_gradient_into(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred,
                                 G&& gradient_out, const Eigen::DenseBase<W>& sample_weight) const {
    check_prediction_type<YP>();
    check_weight_type<W>();
    check_output(gradient_out, y_pred);
    check_not_shared(gradient_out, y_true, "y_true");
    check_not_shared(gradient_out, y_pred, "y_pred");
    check_not_shared(gradient_out, sample_weight, "sample_weight");
    return self().compute(view(evaluated(y_true)), view(evaluated(y_pred)), view(evaluated(sample_weight)), output_view(gradient_out.derived()),
                          std::true_type{});
  }

 protected:
  /// The N x M unreduced, unweighted terms (exposed by the element-wise losses).
  template <class YT, class YP>
  Array per_element(const Eigen::DenseBase<YT>& y_true, const Eigen::DenseBase<YP>& y_pred) const {
    check_prediction_type<YP>();
    return self().compute_per_element(view(evaluated(y_true)), view(evaluated(y_pred)));
  }

 private:
  const Loss& self() const { return static_cast<const Loss&>(*this); }

  template <class YP>
  static void check_prediction_type() {
    static_assert(std::is_same_v<typename YP::Scalar, Scalar>,
                  "losses: y_pred must hold the loss's Scalar type (use .cast<Scalar>() to convert)");
  }
  template <class W>
  static void check_weight_type() {
    static_assert(std::is_same_v<typename W::Scalar, Scalar>,
                  "losses: sample_weight must hold the loss's Scalar type (use .cast<Scalar>() to convert)");
  }

  template <class G, class YP>
  static void check_output(const G& gradient_out, const Eigen::DenseBase<YP>& y_pred) {
    using Out = std::decay_t<G>;
    static_assert(std::is_base_of_v<Eigen::DenseBase<Out>, Out>, "losses: gradient_out must be an Eigen dense object");
    static_assert(!std::is_const_v<std::remove_reference_t<G>> && (int(Out::Flags) & Eigen::LvalueBit),
                  "losses: gradient_out must be writable");
    static_assert(std::is_same_v<typename Out::Scalar, Scalar>, "losses: gradient_out must hold the loss's Scalar type");
    if (gradient_out.rows() != y_pred.rows() || gradient_out.cols() != y_pred.cols()) {
      throw_argument(Loss::name, "gradient_out",
                     "gradient_out is " + shape_of(gradient_out) + " but y_pred is " + shape_of(y_pred) +
                         "; they must have the same shape");
    }
  }

  template <class G, class D>
  static void check_not_shared(const G& gradient_out, const Eigen::DenseBase<D>& input, const char* name) {
    if (shares_memory(gradient_out, input)) {
      throw_argument(Loss::name, "gradient_out",
                     std::string("gradient_out shares memory with ") + name + "; pass separate storage");
    }
  }
};

}  // namespace losses::detail

#endif  // LOSSES_DETAIL_ENTRY_POINTS_HPP
