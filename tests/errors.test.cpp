// Every error of the contract, through every entry point of every loss: the exception's
// standard base and library class, its fields, and a message that names the loss, the
// argument and the culprit (its row and column, both shapes, or the label).
#include <Eigen/Core>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <losses/losses.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support.hpp"
#include "contract.hpp"

namespace {

using contract::Problem;
using support::Array;
using support::RowArray;
template <class S>
using Vector = Eigen::Array<S, Eigen::Dynamic, 1>;

// ---------------------------------------------------------------------------------------
// The entry points

enum class Entry {
  value, weighted_value, per_sample, per_element, gradient, weighted_gradient,
  value_and_gradient, weighted_value_and_gradient, into, weighted_into
};
struct EntryPoint {
  Entry entry;
  const char* name;
  bool weighted;
};
constexpr EntryPoint entry_points[] = {
    {Entry::value, "operator()", false},
    {Entry::weighted_value, "operator() with weights", true},
    {Entry::per_sample, "per_sample", false},
    {Entry::per_element, "per_element", false},
    {Entry::gradient, "gradient", false},
    {Entry::weighted_gradient, "gradient with weights", true},
    {Entry::value_and_gradient, "value_and_gradient", false},
    {Entry::weighted_value_and_gradient, "value_and_gradient with weights", true},
    {Entry::into, "value_and_gradient_into", false},
    {Entry::weighted_into, "value_and_gradient_into with weights", true},
};

/// Calls one entry point, the weighted ones with w; gradient_out has y_pred's shape.
template <class S, class Loss, class Y, class P, class W>
void call(Entry entry, const Loss& loss, const Y& y, const P& p, const W& w) {
  Array<S> g(p.rows(), p.cols());
  switch (entry) {
    case Entry::value: (void)loss(y, p); break;
    case Entry::weighted_value: (void)loss(y, p, w); break;
    case Entry::per_sample: (void)loss.per_sample(y, p); break;
    case Entry::per_element:
      if constexpr (support::has_per_element<Loss>::value) (void)loss.per_element(y, p);
      break;
    case Entry::gradient: (void)loss.gradient(y, p); break;
    case Entry::weighted_gradient: (void)loss.gradient(y, p, w); break;
    case Entry::value_and_gradient: (void)loss.value_and_gradient(y, p); break;
    case Entry::weighted_value_and_gradient: (void)loss.value_and_gradient(y, p, w); break;
    case Entry::into: (void)loss.value_and_gradient_into(y, p, g); break;
    case Entry::weighted_into: (void)loss.value_and_gradient_into(y, p, g, w); break;
  }
}

/// Calls expect(thunk) for every entry point the loss has (the weighted ones only, if asked).
template <class Kind, class S, class Loss, class Y, class P, class W, class Expect>
void for_each_entry_point(const Loss& loss, const Y& y, const P& p, const W& w, bool weighted_only, Expect&& expect) {
  for (const EntryPoint& e : entry_points) {
    if ((e.entry == Entry::per_element && !Kind::element_terms) || (weighted_only && !e.weighted)) continue;
    INFO("entry point: " << e.name);
    expect([&] { call<S>(e.entry, loss, y, p, w); });
  }
}

// ---------------------------------------------------------------------------------------
// The expectations. Other exception types propagate, and Catch reports them.

std::string shape_text(Eigen::Index rows, Eigen::Index cols) {
  return std::to_string(rows) + " x " + std::to_string(cols);
}
std::string position_text(Eigen::Index row, Eigen::Index col) {
  return "(" + std::to_string(row) + ", " + std::to_string(col) + ")";
}

void check_message(const std::exception& e, const char* loss, const std::vector<std::string>& mentions) {
  const std::string message = e.what();
  INFO("message: " << message);
  CHECK(message.find(loss) != std::string::npos);
  for (const std::string& m : mentions) {
    INFO("should mention: " << m);
    CHECK(message.find(m) != std::string::npos);
  }
}

/// std::invalid_argument and losses::ArgumentError, whose argument() is one of `arguments`.
template <class F>
void expect_argument_error(F&& f, const char* loss, std::initializer_list<const char*> arguments,
                           const std::vector<std::string>& mentions) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::invalid_argument& e) {
    const auto* error = dynamic_cast<const losses::ArgumentError*>(&e);
    REQUIRE(error != nullptr);
    INFO("argument() = " << error->argument());
    CHECK(std::find_if(arguments.begin(), arguments.end(),
                       [&](const char* a) { return std::string(a) == error->argument(); }) != arguments.end());
    check_message(e, loss, mentions);
  }
}

/// std::domain_error and losses::DomainError naming argument(row, col).
template <class F>
void expect_domain_error(F&& f, const char* loss, const char* argument, Eigen::Index row, Eigen::Index col) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::domain_error& e) {
    const auto* error = dynamic_cast<const losses::DomainError*>(&e);
    REQUIRE(error != nullptr);
    CHECK(std::string(error->argument()) == argument);
    CHECK(error->row() == row);
    CHECK(error->col() == col);
    check_message(e, loss, {argument, position_text(row, col)});
  }
}

/// std::out_of_range and losses::LabelError naming the row and the label.
template <class F, class Label>
void expect_label_error(F&& f, const char* loss, Eigen::Index row, Label label, Eigen::Index classes) {
  try {
    f();
    FAIL_CHECK("no exception was thrown");
  } catch (const std::out_of_range& e) {
    const auto* error = dynamic_cast<const losses::LabelError*>(&e);
    REQUIRE(error != nullptr);
    CHECK(std::string(error->argument()) == "y_true");
    CHECK(error->row() == row);
    CHECK(error->label() == static_cast<long double>(label));
    CHECK(error->classes() == classes);
    check_message(e, loss, {"y_true", "(" + std::to_string(row) + ")", std::to_string(label)});
  }
}

// ---------------------------------------------------------------------------------------
// Inputs

/// A valid problem's arguments in S, with y_pred (and dense y_true, element weights) stored
/// as Storage; poke() then spoils one value.
template <class Kind, class S, class Storage = Array<S>>
struct Inputs {
  std::conditional_t<Kind::sparse, Eigen::ArrayXi, Storage> y;
  Storage p;
  Vector<S> sample_w;
  Storage element_w;

  explicit Inputs(const Problem& pb)
      : p(pb.p.cast<S>()), sample_w(pb.sample_weight.cast<S>()), element_w(pb.element_weight.cast<S>()) {
    if constexpr (Kind::sparse) {
      y = pb.labels;
    } else {
      y = pb.y.cast<S>();
    }
  }
};

enum class Argument { y_true, y_pred, sample_weight, element_weight };

/// Puts `value` at (row, col) of the argument and expects every entry point that reads it
/// to throw a DomainError naming it there.
template <class Kind, class S, class Storage = Array<S>>
void expect_rejected_at(const Problem& pb, Argument argument, std::vector<std::pair<Eigen::Index, Eigen::Index>> bad,
                        S value, Eigen::Index row, Eigen::Index col) {
  Inputs<Kind, S, Storage> in(pb);
  for (const auto& [i, j] : bad) {
    switch (argument) {
      case Argument::y_true:
        if constexpr (!Kind::sparse) in.y(i, j) = value;
        break;
      case Argument::y_pred: in.p(i, j) = value; break;
      case Argument::sample_weight: in.sample_w(i) = value; break;
      case Argument::element_weight: in.element_w(i, j) = value; break;
    }
  }
  const char* name = argument == Argument::y_true   ? "y_true"
                     : argument == Argument::y_pred ? "y_pred"
                                                    : "sample_weight";
  INFO("bad value " << value << " in " << name << ", expected at " << position_text(row, col));
  const bool weights = argument == Argument::sample_weight || argument == Argument::element_weight;
  const auto expect = [&](auto&& f) { expect_domain_error(f, Kind::name, name, row, col); };
  for (const losses::Reduction reduction : {losses::Reduction::mean, losses::Reduction::sum}) {
    INFO((reduction == losses::Reduction::mean ? "mean" : "sum"));
    typename Kind::template Loss<S> loss;
    loss.reduction(reduction);
    if (argument == Argument::element_weight) {
      for_each_entry_point<Kind, S>(loss, in.y, in.p, in.element_w, true, expect);
    } else {
      for_each_entry_point<Kind, S>(loss, in.y, in.p, in.sample_w, weights, expect);
    }
  }
}

template <class Kind, class S>
void expect_rejected(const Problem& pb, Argument argument, S value) {
  const Eigen::Index col = argument == Argument::sample_weight ? 0 : 1;
  expect_rejected_at<Kind, S>(pb, argument, {{2, col}}, value, 2, col);
}

/// No entry point throws on these arguments.
template <class Kind, class S, class Y>
void expect_accepted(const Y& y, const Array<S>& p, const Vector<S>& w) {
  const typename Kind::template Loss<S> loss;
  for_each_entry_point<Kind, S>(loss, y, p, w, false, [](auto&& f) { CHECK_NOTHROW(f()); });
}

template <class S>
constexpr S not_a_number = std::numeric_limits<S>::quiet_NaN();
template <class S>
constexpr S infinity = std::numeric_limits<S>::infinity();

}  // namespace

#define ALL_LOSSES contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind

TEMPLATE_TEST_CASE("mismatched shapes are rejected with invalid_argument naming both shapes", "[errors]",
                   ALL_LOSSES) {
  using Kind = TestType;
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const typename Kind::template Loss<S> loss;
    const auto check = [&](const auto& y, Eigen::Index rows, Eigen::Index cols) {
      const Problem pb = contract::make_problem<Kind>(rows, cols, 201);
      const Array<S> p = pb.p.cast<S>();
      INFO("y_true " << shape_text(y.rows(), y.cols()) << ", y_pred " << shape_text(rows, cols));
      for_each_entry_point<Kind, S>(loss, y, p, Vector<S>(pb.sample_weight.cast<S>()), false, [&](auto&& f) {
        expect_argument_error(f, Kind::name, {"y_true", "y_pred"},
                              {"y_true", "y_pred", shape_text(y.rows(), y.cols()), shape_text(rows, cols)});
      });
    };
    if constexpr (Kind::sparse) {
      check(Eigen::ArrayXi(Eigen::ArrayXi::Zero(5)), 4, 3);  // one label too many
      check(Eigen::ArrayXi(Eigen::ArrayXi::Zero(3)), 4, 3);  // one label too few
      check(Eigen::ArrayXXi(Eigen::ArrayXXi::Zero(4, 2)), 4, 3);  // not a vector
    } else {
      check(Array<S>(Array<S>::Zero(4, 3)), 5, 3);
      check(Array<S>(Array<S>::Zero(4, 3)), 4, 2);
      check(Array<S>(Array<S>::Zero(3, 4)), 4, 3);  // the transposed shape
    }
  });
}

TEMPLATE_TEST_CASE("empty inputs are rejected with invalid_argument naming the shape", "[errors]", ALL_LOSSES) {
  using Kind = TestType;
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const typename Kind::template Loss<S> loss;
    for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{0, 3}, {4, 0}, {0, 0}}) {
      const Eigen::Index rows = shape.first, cols = shape.second;  // (C++17 lambdas cannot capture bindings)
      INFO("y_pred " << shape_text(rows, cols));
      const Array<S> p = Array<S>::Zero(rows, cols);
      const Vector<S> w = Vector<S>::Ones(rows);
      const auto expect = [&](auto&& f) {
        expect_argument_error(f, Kind::name, {"y_true", "y_pred"}, {shape_text(rows, cols)});
      };
      if constexpr (Kind::sparse) {
        for_each_entry_point<Kind, S>(loss, Eigen::ArrayXi(Eigen::ArrayXi::Zero(rows)), p, w, false, expect);
      } else {
        for_each_entry_point<Kind, S>(loss, p, p, w, false, expect);
      }
    }
  });
}

TEST_CASE("labels outside 0..K-1 are rejected with out_of_range naming the row and the label", "[errors]") {
  using Kind = contract::SparseKind;
  const Problem pb = contract::make_problem<Kind>(4, 3, 202);
  const Problem large = contract::make_problem<Kind>(300, 3, 203);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const losses::SparseCategoricalCrossEntropy<S> loss;
    const auto check = [&](const Problem& problem, Eigen::Index row, auto label) {
      using Label = decltype(label);
      INFO("label " << std::to_string(label) << " at row " << row);
      Eigen::Array<Label, Eigen::Dynamic, 1> labels = problem.labels.cast<Label>();
      labels(row) = label;
      for_each_entry_point<Kind, S>(loss, labels, Array<S>(problem.p.cast<S>()),
                                    Vector<S>(problem.sample_weight.cast<S>()), false,
                                    [&](auto&& f) { expect_label_error(f, Kind::name, row, label, 3); });
    };
    for (const int label : {-1, 3, INT_MAX, INT_MIN}) check(pb, 2, label);
    for (const std::int64_t label : {std::numeric_limits<std::int64_t>::max(), std::int64_t{1} << 40,
                                     -(std::int64_t{1} << 40)}) {
      check(pb, 2, label);
    }
    for (const unsigned label : {3u, 255u, UINT_MAX}) check(pb, 2, label);
    check(large, 280, 7);  // beyond the first block
  });
}

TEMPLATE_TEST_CASE("NaN and infinities are rejected with domain_error naming the argument, row and column",
                   "[errors]", ALL_LOSSES) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 204);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    for (const S value : {not_a_number<S>, infinity<S>, -infinity<S>}) {
      if (!Kind::sparse) expect_rejected<Kind, S>(pb, Argument::y_true, value);
      expect_rejected<Kind, S>(pb, Argument::y_pred, value);
      expect_rejected<Kind, S>(pb, Argument::sample_weight, value);
      if (Kind::element_terms) expect_rejected<Kind, S>(pb, Argument::element_weight, value);
    }
  });
}

TEMPLATE_TEST_CASE("probabilities outside 0..1 are rejected, while MSE accepts any finite prediction", "[errors]",
                   ALL_LOSSES) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 205);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    for (const S value : {S(-0.1), S(1.1), std::nextafter(S(1), S(2)), -std::numeric_limits<S>::denorm_min()}) {
      if constexpr (Kind::probabilities) {
        expect_rejected<Kind, S>(pb, Argument::y_pred, value);
      } else {
        Inputs<Kind, S> in(pb);
        in.p(2, 1) = value;
        expect_accepted<Kind, S>(in.y, in.p, in.sample_w);
      }
    }
  });
}

TEMPLATE_TEST_CASE("cross-entropy targets outside 0..1 are rejected, while MSE accepts any finite target", "[errors]",
                   contract::MseKind, contract::BceKind, contract::CceKind) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 206);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    for (const S value : {S(-0.1), S(1.1), std::nextafter(S(1), S(2)), -std::numeric_limits<S>::denorm_min(),
                          S(-5), S(1000)}) {
      if constexpr (Kind::probabilities) {
        expect_rejected<Kind, S>(pb, Argument::y_true, value);
      } else {
        Inputs<Kind, S> in(pb);
        in.y(2, 1) = value;
        expect_accepted<Kind, S>(in.y, in.p, in.sample_w);
      }
    }
  });
}

TEMPLATE_TEST_CASE("negative weights are rejected with domain_error naming the weight", "[errors]", ALL_LOSSES) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 207);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    for (const S value : {S(-1), S(-1e-30), -std::numeric_limits<S>::denorm_min()}) {
      expect_rejected<Kind, S>(pb, Argument::sample_weight, value);
      if (Kind::element_terms) expect_rejected<Kind, S>(pb, Argument::element_weight, value);
    }
  });
}

TEMPLATE_TEST_CASE("weights of the wrong size are rejected with invalid_argument naming their shape", "[errors]",
                   ALL_LOSSES) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 208);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const Inputs<Kind, S> in(pb);
    const typename Kind::template Loss<S> loss;
    std::vector<Array<S>> wrong = {Array<S>::Ones(3, 1), Array<S>::Ones(5, 1), Array<S>::Ones(0, 1),
                                   Array<S>::Ones(1, 3), Array<S>::Ones(3, 4), Array<S>::Ones(4, 4)};
    if (!Kind::element_terms) wrong.push_back(Array<S>::Ones(4, 3));  // element weights: MSE and BCE only
    for (const Array<S>& w : wrong) {
      INFO("sample_weight " << shape_text(w.rows(), w.cols()));
      for_each_entry_point<Kind, S>(loss, in.y, in.p, w, true, [&](auto&& f) {
        expect_argument_error(f, Kind::name, {"sample_weight"}, {"sample_weight", shape_text(w.rows(), w.cols())});
      });
    }
  });
}

TEMPLATE_TEST_CASE("gradient_out of the wrong shape is rejected with invalid_argument naming both shapes",
                   "[errors]", ALL_LOSSES) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 209);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const Inputs<Kind, S> in(pb);
    const typename Kind::template Loss<S> loss;
    for (const auto& shape : {std::pair<Eigen::Index, Eigen::Index>{5, 3}, {4, 2}, {3, 4}, {0, 0}}) {
      const Eigen::Index rows = shape.first, cols = shape.second;
      Array<S> g(rows, cols);
      const std::vector<std::string> mentions{"gradient_out", shape_text(rows, cols), shape_text(4, 3)};
      expect_argument_error([&] { loss.value_and_gradient_into(in.y, in.p, g); }, Kind::name, {"gradient_out"}, mentions);
      expect_argument_error([&] { loss.value_and_gradient_into(in.y, in.p, g, in.sample_w); }, Kind::name,
                            {"gradient_out"}, mentions);
    }
    Array<S> p = in.p;
    expect_argument_error([&] { loss.value_and_gradient_into(in.y, p, p); }, Kind::name, {"gradient_out"},
                          {"gradient_out", "y_pred"});
  });
}

TEMPLATE_TEST_CASE("an invalid epsilon is rejected with invalid_argument naming the valid range", "[errors]",
                   contract::BceKind, contract::CceKind, contract::SparseKind) {
  using Kind = TestType;
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    typename Kind::template Loss<S> loss;
    const S lowest = std::numeric_limits<S>::epsilon() / 2;
    std::ostringstream lowest_text;  // as the message prints it: every significant digit
    lowest_text.precision(std::numeric_limits<S>::max_digits10);
    lowest_text << lowest;
    std::vector<S> invalid{S(-1e-3), -lowest, not_a_number<S>, infinity<S>, -infinity<S>, S(0.5), S(1), S(2),
                           std::nextafter(lowest, S(0))};
    invalid.push_back(std::is_same_v<S, float> ? S(1e-15f) : S(1e-300));  // nonzero, below the range
    for (const S e : invalid) {
      INFO("epsilon " << e);
      expect_argument_error([&] { loss.epsilon(e); }, Kind::name, {"epsilon"}, {"epsilon", lowest_text.str(), "0.5"});
    }
    for (const S e : {S(0), lowest, std::numeric_limits<S>::epsilon(), S(1e-3), S(0.25), std::nextafter(S(0.5), S(0))}) {
      INFO("epsilon " << e);
      CHECK_NOTHROW(loss.epsilon(e));
      CHECK(loss.epsilon() == e);
    }
  });
}

TEMPLATE_TEST_CASE("the first culprit is the lowest row, then the lowest column, whatever the storage order",
                   "[errors]", ALL_LOSSES) {
  using Kind = TestType;
  const Problem pb = contract::make_problem<Kind>(4, 3, 210);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    // In column-major storage (3, 0) comes first in memory, in row-major (1, 2) does.
    const std::vector<std::pair<Eigen::Index, Eigen::Index>> bad{{3, 0}, {1, 2}};
    for (const Argument a : {Argument::y_true, Argument::y_pred, Argument::element_weight}) {
      if ((a == Argument::y_true && Kind::sparse) || (a == Argument::element_weight && !Kind::element_terms)) continue;
      const S value = a == Argument::element_weight ? S(-1) : Kind::probabilities ? S(1.5) : not_a_number<S>;
      {
        INFO("column-major");
        expect_rejected_at<Kind, S, Array<S>>(pb, a, bad, value, 1, 2);
      }
      INFO("row-major");
      expect_rejected_at<Kind, S, RowArray<S>>(pb, a, bad, value, 1, 2);
    }
  });
}

TEMPLATE_TEST_CASE("a culprit beyond the first 256-element block is found and named", "[errors]", ALL_LOSSES) {
  using Kind = TestType;
  const Problem tall = contract::make_problem<Kind>(300, 2, 211);
  const Problem wide = contract::make_problem<Kind>(3, 1000, 212);
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const S value = not_a_number<S>;
    // Alone in a later block; then behind a culprit in a block walked earlier but at a
    // higher row (column-major walks column 0 to its end first).
    expect_rejected_at<Kind, S, Array<S>>(tall, Argument::y_pred, {{290, 1}}, value, 290, 1);
    expect_rejected_at<Kind, S, Array<S>>(tall, Argument::y_pred, {{290, 0}, {10, 1}}, value, 10, 1);
    expect_rejected_at<Kind, S, RowArray<S>>(tall, Argument::y_pred, {{290, 1}}, value, 290, 1);
    expect_rejected_at<Kind, S, RowArray<S>>(wide, Argument::y_pred, {{2, 700}}, value, 2, 700);
    expect_rejected_at<Kind, S, RowArray<S>>(wide, Argument::y_pred, {{2, 5}, {1, 700}}, value, 1, 700);
    expect_rejected_at<Kind, S, Array<S>>(tall, Argument::sample_weight, {{280, 0}}, value, 280, 0);
    if constexpr (!Kind::sparse) {
      expect_rejected_at<Kind, S, Array<S>>(tall, Argument::y_true, {{290, 0}, {10, 1}}, value, 10, 1);
    }
  });
}

TEMPLATE_TEST_CASE("boundary values are valid: 0/1 predictions and targets, zero weights, and finite with epsilon > 0",
                   "[errors]", ALL_LOSSES) {
  using Kind = TestType;
  // Certain predictions, right and wrong, on hard targets; a zero weight on row 0.
  const std::vector<double> p_values{0, 1, 0.5, 1, 0, 0.25, 0, 0, 1, 1, 1, 0};
  const std::vector<double> y_values = Kind::element_terms ? std::vector<double>{0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0}
                                                           : std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0};
  contract::for_each_scalar([&](auto scalar) {
    using S = decltype(scalar);
    const Array<S> p = support::from_row_major<S>(p_values, 4, 3);
    const Array<S> y = support::from_row_major<S>(y_values, 4, 3);
    const Eigen::ArrayXi labels = (Eigen::ArrayXi(4) << 0, 1, 2, 0).finished();
    const Vector<S> w = (Vector<S>(4) << 0, 1, 0, 2).finished();
    const Array<S> element_w = (Array<S>(4, 3) << 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 2).finished();
    const auto check = [&](const auto& loss, const auto& targets) {
      CHECK(std::isfinite(loss(targets, p)));
      CHECK(std::isfinite(loss(targets, p, w)));
      CHECK(loss.per_sample(targets, p).isFinite().all());
      CHECK(loss.gradient(targets, p).isFinite().all());
      CHECK(loss.gradient(targets, p, w).isFinite().all());
      const auto [value, gradient] = loss.value_and_gradient(targets, p, w);
      CHECK((std::isfinite(value) && gradient.isFinite().all()));
      Array<S> g(4, 3);
      CHECK(std::isfinite(loss.value_and_gradient_into(targets, p, g, w)));
      CHECK(g.isFinite().all());
      if constexpr (Kind::element_terms) {
        CHECK(loss.per_element(targets, p).isFinite().all());
        CHECK(std::isfinite(loss(targets, p, element_w)));
        CHECK(loss.gradient(targets, p, element_w).isFinite().all());
      }
    };
    std::vector<S> epsilons{std::numeric_limits<S>::epsilon()};  // the default
    if (Kind::probabilities) epsilons.push_back(S(1e-3));
    for (const S e : epsilons) {
      INFO("epsilon " << e);
      typename Kind::template Loss<S> loss;
      if constexpr (Kind::probabilities) loss.epsilon(e);
      if constexpr (Kind::sparse) {
        check(loss, labels);
      } else {
        check(loss, y);
      }
    }
  });
}
