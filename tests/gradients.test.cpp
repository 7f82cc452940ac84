// Every analytic gradient against finite differences of the loss itself, evaluated in long
// double: the gradient must be the exact derivative of the value the loss returns, for
// both reductions, with and without weights, with and without clipping.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <losses/losses.hpp>
#include <vector>

#include "catch.hpp"
#include "support.hpp"
#include "contract.hpp"

namespace {

using contract::Problem;
using contract::Setting;
using contract::default_epsilon;
using contract::make_loss;
using contract::to_logits;
using contract::Weighting;
using losses::Reduction;
using support::Array;
using LD = long double;

// The finite-difference step, a power of two so that p ± h and p ± 2h are exact in long
// double (p holds float values) and the quotients divide by exactly 2h.
// A central difference errs by truncation, h²·|f'''|/6, and by rounding, about u·|L|/h
// (u ≈ 1.1e-19, long double's unit roundoff on x86; L the loss, a sum over every element).
// h ≈ ∛(3u) ≈ 7e-7 balances the two; h = 2^-20 ≈ 9.5e-7 is ~1e-6 relative to predictions
// of order one. With probabilities in [0.1, 0.9] (|f'''| ≤ 2/0.1³ = 2000 for the logs;
// 0 for squares) truncation is below 3e-10 and rounding about 1e-13·|L|: far below 1e-8.
constexpr LD h = 1.0L / 1048576;

// How closely the gradient computed in S must match the finite differences, relative to
// the gradient's largest element: 1e-8, the finite differences' own accuracy with a wide
// margin (double's rounding, ~1e-15, is negligible next to it); for float, 64 ulps
// (≈ 7.6e-6) for the few roundings of each element's derivative, weight and scale.
template <class S>
double fd_tolerance() {
  return std::max(1e-8, 64 * contract::eps<S>());
}

/// The derivative of the long double loss with respect to each prediction: a central
/// difference, or where the step would leave [0, 1] the one-sided second-order difference
/// (−3f(p) + 4f(p ± h) − f(p ± 2h))/(±2h), whose truncation error h²|f'''|/3 is as small.
template <class Loss, class Y, class W>
Array<LD> finite_differences(const Loss& loss, const Y& y, Array<LD> p, const W& w, bool probabilities) {
  Array<LD> fd(p.rows(), p.cols());
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    for (Eigen::Index j = 0; j < p.cols(); ++j) {
      const LD p0 = p(i, j);
      const auto f = [&](LD x) {
        p(i, j) = x;
        return contract::value_of(loss, y, p, w);
      };
      if (!probabilities || (p0 - 2 * h >= 0 && p0 + 2 * h <= 1)) {
        fd(i, j) = (f(p0 + h) - f(p0 - h)) / (2 * h);
      } else {
        const LD s = p0 - 2 * h < 0 ? h : -h;  // step inwards
        fd(i, j) = (-3 * f(p0) + 4 * f(p0 + s) - f(p0 + 2 * s)) / (2 * s);
      }
      p(i, j) = p0;
    }
  }
  return fd;
}

constexpr Setting epsilon_1e3{"epsilon = 1e-3", true, 1e-3};
constexpr Setting epsilon_0{"epsilon = 0", true, 0};

template <class Kind>
std::vector<Setting> settings() {
  if (!Kind::probabilities) return {default_epsilon};
  std::vector<Setting> all{default_epsilon, epsilon_1e3, epsilon_0};
  // Every combination of the training options, on probabilities and on logits.
  const char* const names[2][2][2] = {
      {{"probabilities", "probabilities, class or positive-class weights"},
       {"probabilities, label smoothing 0.1", "probabilities, label smoothing 0.1, class or positive-class weights"}},
      {{"logits", "logits, class or positive-class weights"},
       {"logits, label smoothing 0.1", "logits, label smoothing 0.1, class or positive-class weights"}}};
  for (int logits = 0; logits < 2; ++logits) {
    for (int smoothing = 0; smoothing < 2; ++smoothing) {
      for (int weighted = 0; weighted < 2; ++weighted) {
        if (!logits && !smoothing && !weighted) continue;  // the plain settings above
        Setting s{names[logits][smoothing][weighted], false, 0, logits == 1, smoothing ? 0.1 : 0.0, weighted == 1};
        all.push_back(s);
        if (Kind::sparse) {
          s.ignore = true;
          all.push_back(s);
        }
      }
    }
  }
  if constexpr (!Kind::sparse && !Kind::element_terms) {  // renormalize(true), on probabilities
    Setting s{"renormalized rows", false, 0};
    s.renormalize = true;
    all.push_back(s);
    s = {"renormalized rows, epsilon = 1e-3", true, 1e-3};
    s.renormalize = true;
    all.push_back(s);
    s = {"renormalized rows, label smoothing 0.1, class weights", false, 0, false, 0.1, true};
    s.renormalize = true;
    all.push_back(s);
  }
  return all;
}

/// Puts predictions that epsilon = 1e-3 clips: 0 and 1 themselves, and values more than two
/// steps h from both the clip bounds and [0, 1]'s ends, so every difference stays clipped.
template <class Kind>
void add_clipped_points(Problem& pb) {
  const double clipped[] = {0, 2e-4, 5e-4, 0.9995, 0.9998, 1};
  int k = 0;
  for (Eigen::Index i = 0; i < pb.rows(); ++i) {
    for (Eigen::Index j = 0; j < pb.cols(); ++j) {
      const bool at_label = Kind::sparse && j == pb.labels(i) && i % 2 == 0;
      if (at_label || (i + 2 * j) % 3 == 0) pb.p(i, j) = static_cast<float>(clipped[k++ % 6]);
    }
  }
}

/// Checks gradient() in long double, double and float against the finite differences of
/// the long double loss, for both reductions and every weighting the loss accepts.
template <class Kind>
void check_against_finite_differences(const Problem& pb, const Setting& setting,
                                      const std::vector<Weighting>& weightings) {
  for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
    for (const Weighting weighting : weightings) {
      INFO(Kind::name << ", " << pb.rows() << " x " << pb.cols() << ", " << setting.name
                      << (setting.ignore ? ", label 1 ignored" : "") << ", "
                      << (reduction == Reduction::mean ? "mean" : "sum") << ", " << contract::weighting_name(weighting));
      const auto reference = make_loss<Kind, LD>(reduction, setting, pb.cols());
      const bool probabilities = Kind::probabilities && !setting.logits;
      const auto y_ld = contract::y_true<Kind, LD>(pb);
      const Array<LD> fd = contract::with_weights<LD>(pb, weighting, [&](const auto& w) {
        return finite_differences(reference, y_ld, pb.p.cast<LD>(), w, probabilities);
      });
      const LD scale = contract::max_abs(fd);
      // The differences' own rounding, an absolute floor that matters only where every
      // gradient is 0 (all clipped): each value is good to a few ulps of |L|, and the
      // one-sided formula weighs three of them by 3 + 4 + 1 before dividing by 2h.
      const LD loss_value = contract::with_weights<LD>(
          pb, weighting, [&](const auto& w) { return contract::value_of(reference, y_ld, pb.p.cast<LD>(), w); });
      const LD rounding = 16 * std::numeric_limits<LD>::epsilon() * std::fabs(loss_value) / h;

      const auto check = [&](auto scalar) {
        using S = decltype(scalar);
        INFO("gradient computed in " << (sizeof(S) == 4 ? "float" : sizeof(S) == 8 ? "double" : "long double"));
        const auto loss = make_loss<Kind, S>(reduction, setting, pb.cols());
        const Array<S> p = pb.p.cast<S>();
        const Array<S> g = contract::with_weights<S>(pb, weighting, [&](const auto& w) {
          return contract::gradient_of(loss, contract::y_true<Kind, S>(pb), p, w);
        });
        contract::check_all_close(g, fd, fd_tolerance<S>() * scale + rounding, "gradient");
        // Clipped points: exactly no gradient (with renormalised rows the clip applies to
        // p/Σp, and every entry of the row feels the sum).
        if constexpr (Kind::probabilities) {
          if (setting.renormalize) return;
          const S e = probabilities ? loss.epsilon() : S(0);
          for (Eigen::Index i = 0; i < p.rows(); ++i) {
            for (Eigen::Index j = 0; j < p.cols(); ++j) {
              if (e > 0 && (p(i, j) < e || p(i, j) > 1 - e)) {
                INFO("clipped prediction p(" << i << ", " << j << ") = " << p(i, j));
                CHECK(g(i, j) == S(0));
              }
            }
          }
        }
      };
      check(LD{});
      check(double{});
      check(float{});
    }
  }
}

template <class Kind>
void check_random_problem(Eigen::Index rows, Eigen::Index cols, std::uint32_t seed) {
  for (const Setting& setting : settings<Kind>()) {
    Problem pb = contract::make_problem<Kind>(rows, cols, seed);
    // The clipped points sit at the clip bounds of p; renormalised rows clip p/Σp instead,
    // where those points would straddle the bound (a kink no finite difference can take).
    // The parity test checks a clipped, renormalised probability against PyTorch autograd.
    if (setting.set_epsilon && setting.epsilon > 0 && !setting.renormalize) add_clipped_points<Kind>(pb);
    if (setting.logits) to_logits(pb);
    check_against_finite_differences<Kind>(pb, setting, contract::weightings<Kind>());
  }
}

/// Predictions exactly on 0/1 targets (rows 0 and 1; for the sparse loss also 0 off the
/// label) and, if asked, a row 2 holding a certain wrong prediction, +inf unless weighted 0.
template <class Kind>
Problem edge_problem(bool with_certain_wrong_row) {
  const Eigen::Index rows = with_certain_wrong_row ? 3 : 2;
  Problem pb;
  if constexpr (Kind::sparse) {
    pb.labels = (Eigen::ArrayXi(3) << 0, 2, 1).finished().head(rows);
    pb.p = support::from_row_major<double>(std::vector<double>{1, 0, 0, 0.25, 0, 0.75, 0, 0, 1}, rows, 3);
  } else if constexpr (Kind::element_terms) {
    pb.y = support::from_row_major<double>(std::vector<double>{1, 0, 0.25, 0, 1, 0.5, 1, 0, 1}, rows, 3);
    pb.p = support::from_row_major<double>(std::vector<double>{1, 0, 0.5, 0.5, 1, 0.25, 0, 1, 0.5}, rows, 3);
  } else {
    pb.y = support::from_row_major<double>(std::vector<double>{1, 0, 0, 0, 0.5, 0.5, 0, 1, 0}, rows, 3);
    pb.p = support::from_row_major<double>(std::vector<double>{1, 0, 0, 0, 0.25, 0.75, 1, 0, 0}, rows, 3);
  }
  pb.sample_weight = (Eigen::ArrayXd(3) << 1, 2, 0).finished().head(rows);
  pb.element_weight = Array<double>::Ones(rows, 3);
  if (with_certain_wrong_row) pb.element_weight.row(2).setZero();
  return pb;
}

}  // namespace

TEMPLATE_TEST_CASE("gradient() is the derivative of the value: it matches long double finite differences",
                   "[gradients]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  SECTION("a small problem") { check_random_problem<TestType>(7, 4, 11); }
  SECTION("a single row (the row-wise walk)") { check_random_problem<TestType>(1, 6, 12); }
  SECTION("a column longer than one block") { check_random_problem<TestType>(300, 2, 13); }
}

TEMPLATE_TEST_CASE("with epsilon = 0 the gradient at a prediction equal to its 0/1 target is one-sided and finite",
                   "[gradients]", contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  SECTION("predictions on their targets") {
    check_against_finite_differences<Kind>(edge_problem<Kind>(false), epsilon_0, contract::weightings<Kind>());
  }
  SECTION("plus a certain wrong prediction weighted 0: a finite value, no gradient on its row") {
    const Problem pb = edge_problem<Kind>(true);
    std::vector<Weighting> weightings{Weighting::per_sample};
    if (Kind::element_terms) weightings.push_back(Weighting::per_element);
    check_against_finite_differences<Kind>(pb, epsilon_0, weightings);
    for (const Weighting weighting : weightings) {
      const auto loss = make_loss<Kind, double>(Reduction::mean, epsilon_0);
      contract::with_weights<double>(pb, weighting, [&](const auto& w) {
        const auto [value, gradient] = contract::value_and_gradient_of(loss, contract::y_true<Kind, double>(pb), pb.p, w);
        CHECK(std::isfinite(value));
        CHECK((gradient.row(2) == 0.0).all());
      });
    }
  }
}

TEMPLATE_TEST_CASE("value_and_gradient() and value_and_gradient_into() give gradient()'s gradient and the value",
                   "[gradients]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  Problem pb = contract::make_problem<Kind>(9, 5, 21);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    // The three entry points compute the same numbers; allow 4 ulps should the fused
    // pass ever round differently.
    const double ulps = 4 * contract::eps<S>();
    const Array<S> p = pb.p.cast<S>();
    const auto y = contract::y_true<Kind, S>(pb);
    for (const Setting& setting : settings<Kind>()) {
      for (const Reduction reduction : {Reduction::mean, Reduction::sum}) {
        for (const Weighting weighting : contract::weightings<Kind>()) {
          INFO(setting.name << ", " << (reduction == Reduction::mean ? "mean" : "sum") << ", "
                            << contract::weighting_name(weighting) << ", " << sizeof(S) << "-byte scalar");
          const auto loss = make_loss<Kind, S>(reduction, setting, pb.cols());
          contract::with_weights<S>(pb, weighting, [&](const auto& w) {
            const S value = contract::value_of(loss, y, p, w);
            const Array<S> g = contract::gradient_of(loss, y, p, w);
            const auto [fused_value, fused_gradient] = contract::value_and_gradient_of(loss, y, p, w);
            Array<S> into_gradient = Array<S>::Constant(p.rows(), p.cols(), S(-123));
            const S into_value = contract::into_of(loss, y, p, into_gradient, w);
            const double scale = static_cast<double>(contract::max_abs(g));
            CHECK(support::close(fused_value, value, ulps, 0));
            CHECK(support::close(into_value, value, ulps, 0));
            contract::check_all_close(fused_gradient, g, ulps * scale, "value_and_gradient().gradient");
            contract::check_all_close(into_gradient, g, ulps * scale, "value_and_gradient_into() gradient");
          });
        }
      }
    }
  });
}

TEMPLATE_TEST_CASE("the sum's gradient is the mean's denominator times the mean's gradient", "[gradients]",
                   contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(8, 3, 31);
  const auto n = static_cast<double>(pb.rows()), m = static_cast<double>(pb.cols());
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const Array<S> p = pb.p.cast<S>();
    const auto y = contract::y_true<Kind, S>(pb);
    for (const Weighting weighting : contract::weightings<Kind>()) {
      INFO(contract::weighting_name(weighting) << ", " << sizeof(S) << "-byte scalar");
      // What the mean divides by: the total weight of the terms (an element, or a row for
      // the categorical losses); a per-sample weight counts once per element of its row.
      const double terms_per_row = Kind::element_terms ? m : 1.0;
      const double denominator = weighting == Weighting::none        ? n * terms_per_row
                                 : weighting == Weighting::per_sample ? pb.sample_weight.sum() * terms_per_row
                                                                      : pb.element_weight.sum();
      const auto mean = make_loss<Kind, S>(Reduction::mean, default_epsilon);
      const auto sum = make_loss<Kind, S>(Reduction::sum, default_epsilon);
      contract::with_weights<S>(pb, weighting, [&](const auto& w) {
        const Array<S> g_mean = contract::gradient_of(mean, y, p, w);
        const Array<S> g_sum = contract::gradient_of(sum, y, p, w);
        // Each element: one rounding of 1/denominator, one of the product, one here: 8 ulps.
        const Array<double> scaled = g_mean.template cast<double>() * denominator;
        for (Eigen::Index i = 0; i < p.rows(); ++i) {
          for (Eigen::Index j = 0; j < p.cols(); ++j) {
            INFO("element (" << i << ", " << j << ")");
            CHECK(support::close(scaled(i, j), g_sum(i, j), 8 * contract::eps<S>(), 0));
          }
        }
      });
    }
  });
}
