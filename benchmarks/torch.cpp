// The LibTorch benchmarks: what a user calls instead of this library, on the CPU, with one
// intra-op thread, over the same buffers (torch::from_blob, no copies). Compiled once and
// linked into every flavour: LibTorch picks its kernels at run time (see torch_context()),
// so the flags of a flavour do not change them.
//
// Every torch tensor is row-major: the categorical problems are stored N x K sample-major
// so that LibTorch reads them as N x K without a transpose or a copy.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/csrc/autograd/generated/variable_factories.h>
#include <torch/version.h>

#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "problems.hpp"

namespace losses_bench {
namespace {

template <class S>
at::TensorOptions options() {
  return at::TensorOptions().dtype(std::is_same_v<S, float> ? at::kFloat : at::kDouble);
}

/// A tensor over one of d's N x K buffers (a length-N vector for element-wise problems).
template <class S>
at::Tensor wrap(const S* data, const Problem<S>& d, bool requires_grad = false) {
  const std::vector<std::int64_t> sizes =
      d.cols == 1 ? std::vector<std::int64_t>{d.rows} : std::vector<std::int64_t>{d.rows, d.cols};
  return torch::from_blob(const_cast<S*>(data), sizes, options<S>().requires_grad(requires_grad));
}

template <class S>
at::Tensor wrap_labels(const Problem<S>& d) {
  return torch::from_blob(const_cast<std::int64_t*>(d.labels), {d.rows}, at::TensorOptions().dtype(at::kLong));
}

/// A loss with its targets bound: prediction -> 0-dim loss tensor.
using Forward = std::function<at::Tensor(const at::Tensor&)>;

/// One LibTorch formulation of a loss on one problem.
template <class S>
struct TorchLoss {
  std::string loss;   ///< the case it is timed under ("sparse_cce", ...)
  std::string impl;   ///< "torch" or a variant such as "torch_gather"
  std::string group;  ///< the cross-check group (the probability-space case with the same value)
  bool logits;        ///< reads the logits (else the probabilities)
  bool labels;        ///< targets are the labels (for the byte count)
  Forward (*bind)(const Problem<S>&);
};

/// Forward (inference, under NoGradGuard) and forward plus autograd backward. The
/// gradient is reset after each call, as zero_grad(set_to_none) does, so each backward
/// allocates it: what a training loop gets.
template <class S>
void torch_ops(const TorchLoss<S>& t, Index count, Index classes) {
  const std::string name = case_name(t.loss, scalar_name<S>(), count, classes) + "/" + t.impl;
  const Index rows = count / classes;
  const double value_bytes = bytes<S>(t.labels ? Traffic::labels_input : Traffic::two_inputs, rows, classes);
  const double both_bytes =
      bytes<S>(t.labels ? Traffic::labels_input_output : Traffic::two_inputs_output, rows, classes);
  const auto bind = t.bind;
  const bool logits = t.logits;

  add_benchmark(name + ".fwd", static_cast<double>(count), value_bytes, [=](benchmark::State& state) {
    const auto& d = problem<S>(count, classes);
    const at::Tensor prediction = wrap(logits ? d.x : d.p, d);
    const Forward forward = bind(d);
    at::NoGradGuard no_grad;
    for (auto _ : state) {
      at::Tensor value = forward(prediction);
      benchmark::DoNotOptimize(value.data_ptr());
    }
  });
  add_benchmark(name + ".fwd+bwd", static_cast<double>(count), both_bytes, [=](benchmark::State& state) {
    const auto& d = problem<S>(count, classes);
    at::Tensor prediction = wrap(logits ? d.x : d.p, d, true);
    const Forward forward = bind(d);
    for (auto _ : state) {
      at::Tensor value = forward(prediction);
      value.backward();
      benchmark::DoNotOptimize(prediction.grad().data_ptr());
      prediction.mutable_grad().reset();
    }
  });
  add_check(t.group, name + ".fwd", check_tolerance<S>(), [=]() {
    const auto& d = problem<S>(count, classes);
    at::NoGradGuard no_grad;
    return bind(d)(wrap(logits ? d.x : d.p, d)).template item<double>();
  });
}

/// Forward plus the explicit backward op, writing the gradient into the same storage the
/// library writes into (`*_backward_out`): LibTorch's cheapest way, without autograd.
template <class S, class Value, class Backward>
void torch_explicit_ops(const std::string& loss, Index count, Value value, Backward backward) {
  const std::string name = case_name(loss, scalar_name<S>(), count, 1) + "/torch.fwd+bwd_ops";
  add_benchmark(name, static_cast<double>(count), bytes<S>(Traffic::two_inputs_output, count, 1),
                [=](benchmark::State& state) {
                  const auto& d = problem<S>(count, 1);
                  const at::Tensor y = wrap(d.y, d), p = wrap(d.p, d);
                  at::Tensor g = torch::from_blob(d.g, {d.rows}, options<S>());
                  const at::Tensor one = at::ones({}, options<S>());
                  for (auto _ : state) {
                    at::Tensor v = value(p, y);
                    backward(g, one, p, y);
                    benchmark::DoNotOptimize(v.data_ptr());
                    benchmark::ClobberMemory();
                  }
                });
}

template <class S>
std::vector<TorchLoss<S>> elementwise_losses(Index count) {
  const std::string bce = case_name("bce", scalar_name<S>(), count, 1);
  return {
      {"mse", "torch", case_name("mse", scalar_name<S>(), count, 1), false, false,
       [](const Problem<S>& d) -> Forward {
         return [y = wrap(d.y, d)](const at::Tensor& p) { return at::mse_loss(p, y); };
       }},
      {"bce", "torch", bce, false, false,
       [](const Problem<S>& d) -> Forward {
         return [y = wrap(d.y, d)](const at::Tensor& p) { return at::binary_cross_entropy(p, y); };
       }},
      {"bce_logits", "torch", bce, true, false,
       [](const Problem<S>& d) -> Forward {
         return [y = wrap(d.y, d)](const at::Tensor& x) { return at::binary_cross_entropy_with_logits(x, y); };
       }},
  };
}

template <class S>
std::vector<TorchLoss<S>> categorical_losses(Index count, Index classes) {
  const std::string cce = case_name("cce", scalar_name<S>(), count, classes);
  const std::string sparse = case_name("sparse_cce", scalar_name<S>(), count, classes);
  return {
      // Dense probability targets on probabilities: the same function as the library's,
      // written the way LibTorch users write it (there is no built-in for it).
      {"cce", "torch", cce, false, false,
       [](const Problem<S>& d) -> Forward {
         return [y = wrap(d.y, d)](const at::Tensor& p) { return -(y * at::log(p)).sum(1).mean(); };
       }},
      // What users call: cross_entropy on logits, with probability targets.
      {"cce_logits", "torch", cce, true, false,
       [](const Problem<S>& d) -> Forward {
         return [y = wrap(d.y, d)](const at::Tensor& x) { return at::cross_entropy_loss(x, y); };
       }},
      // Labels on probabilities: nll_loss of log(p) (a log of every element)...
      {"sparse_cce", "torch", sparse, false, true,
       [](const Problem<S>& d) -> Forward {
         return [labels = wrap_labels(d)](const at::Tensor& p) { return at::nll_loss(at::log(p), labels); };
       }},
      // ... and the log of only the picked probabilities, as the library computes it.
      {"sparse_cce", "torch_gather", sparse, false, true,
       [](const Problem<S>& d) -> Forward {
         return [labels = wrap_labels(d).unsqueeze(1)](const at::Tensor& p) {
           return -at::log(p.gather(1, labels)).mean();
         };
       }},
      // What users call: cross_entropy on logits, with class indices.
      {"sparse_cce_logits", "torch", sparse, true, true,
       [](const Problem<S>& d) -> Forward {
         return [labels = wrap_labels(d)](const at::Tensor& x) { return at::cross_entropy_loss(x, labels); };
       }},
  };
}

template <class S>
void register_scalar() {
  for (const Index count : counts()) {
    for (const auto& t : elementwise_losses<S>(count)) torch_ops<S>(t, count, 1);
    torch_explicit_ops<S>(
        "mse", count, [](const at::Tensor& p, const at::Tensor& y) { return at::mse_loss(p, y); },
        [](at::Tensor& g, const at::Tensor& one, const at::Tensor& p, const at::Tensor& y) {
          at::mse_loss_backward_out(g, one, p, y, at::Reduction::Mean);
        });
    torch_explicit_ops<S>(
        "bce", count, [](const at::Tensor& p, const at::Tensor& y) { return at::binary_cross_entropy(p, y); },
        [](at::Tensor& g, const at::Tensor& one, const at::Tensor& p, const at::Tensor& y) {
          at::binary_cross_entropy_backward_out(g, one, p, y);
        });
    for (const Index classes : class_counts()) {
      for (const auto& t : categorical_losses<S>(count, classes)) torch_ops<S>(t, count, classes);
    }
  }
}

}  // namespace

void register_torch_benchmarks(Scalars scalars) {
  at::set_num_threads(1);
  if (scalars.float_type) register_scalar<float>();
  if (scalars.double_type) register_scalar<double>();
}

Context torch_context() {
  std::string capability = "unknown";
  std::istringstream config(at::show_config());
  for (std::string line; std::getline(config, line);) {
    const auto at = line.find("CPU capability usage:");
    if (at != std::string::npos) capability = line.substr(at + 22);
  }
  return {
      {"torch_version", TORCH_VERSION},
      {"torch_cpu_capability", capability},
      {"torch_threads", std::to_string(at::get_num_threads())},
  };
}

}  // namespace losses_bench
