// The benchmark driver: registers the library's and LibTorch's benchmarks on the shared
// problems, records the machine and the build in the output's context, cross-checks that
// every implementation computes the same value, then runs Google Benchmark.
//
// Beyond Google Benchmark's flags: --scalar=float or --scalar=double registers only that
// type (the default is both), and --no_checks skips the cross-checks.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "problems.hpp"

namespace {

/// The CPU model and the SIMD flags that decide Eigen's and LibTorch's code paths.
losses_bench::Context cpu_context() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string model = "unknown", flags;
  for (std::string line; std::getline(cpuinfo, line);) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon + 2 > line.size()) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    if (key == "model name" && model == "unknown") model = line.substr(colon + 2);
    if (key == "flags" && flags.empty()) flags = line.substr(colon + 2);
  }
  std::set<std::string> present;
  std::istringstream words(flags);
  for (std::string w; words >> w;) present.insert(w);
  std::string simd;
  for (const char* f : {"sse2", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl", "avx512dq", "avx512bw"}) {
    if (present.count(f)) simd += (simd.empty() ? "" : " ") + std::string(f);
  }
  return {{"cpu_model", model}, {"cpu_simd_flags", simd}};
}

/// The run's options as given (without --benchmark_out, whose value is a local path).
std::string arguments(int argc, char** argv) {
  std::string text;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--benchmark_out=", 16) == 0) continue;
    text += (text.empty() ? "" : " ") + std::string(argv[i]);
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string options = arguments(argc, argv);
  benchmark::Initialize(&argc, argv);
  bool checks = true;
  losses_bench::Scalars scalars;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no_checks") == 0) {
      checks = false;
    } else if (std::strcmp(argv[i], "--scalar=float") == 0) {
      scalars.double_type = false;
    } else if (std::strcmp(argv[i], "--scalar=double") == 0) {
      scalars.float_type = false;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  if (!scalars.float_type && !scalars.double_type) {
    std::fprintf(stderr, "%s: --scalar=float and --scalar=double exclude each other\n", argv[0]);
    return 1;
  }
  losses_bench::register_library_benchmarks(scalars);
  losses_bench::register_torch_benchmarks(scalars);
  benchmark::AddCustomContext("arguments", options);
  for (const auto& context : {cpu_context(), losses_bench::library_context(), losses_bench::torch_context()}) {
    for (const auto& [key, value] : context) benchmark::AddCustomContext(key, value);
  }

  if (checks && !losses_bench::run_checks(benchmark::GetBenchmarkFilter())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
