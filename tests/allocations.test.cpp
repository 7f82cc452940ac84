// value_and_gradient_into, what a training loop calls at every step, allocates nothing
// for plain, Map, block and transpose inputs.
//
// Checked by counting heap allocations while a flag is set. This file replaces the global
// operator new and delete (every replaceable form) for the whole test binary; they behave
// as the standard ones do, only counting. That alone would miss Eigen, which allocates
// dynamic arrays with std::malloc, never operator new: so on glibc, malloc, calloc and
// realloc are interposed too, forwarding to glibc's own implementations (under a
// sanitizer, which interposes them itself, its allocation hook counts them).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include <Eigen/Core>
#include <losses/losses.hpp>

#include "catch.hpp"
#include "support.hpp"
#include "contract.hpp"

namespace allocations {

// Thread-local: only this thread's allocations count (the test binary has no others,
// and none may be counted by mistake if it ever does). Zero-initialised, so usable from
// the first allocation of the process on.
thread_local bool counting = false;
thread_local std::size_t operator_new_calls = 0;
thread_local std::size_t malloc_calls = 0;

void note(std::size_t& calls) noexcept {
  if (counting) ++calls;
}

/// operator new's standard behaviour: never null; on failure, the new-handler or bad_alloc.
void* allocate(std::size_t size) {
  note(operator_new_calls);
  if (size == 0) size = 1;  // a unique pointer even for zero bytes
  while (true) {
    if (void* p = std::malloc(size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* allocate_aligned(std::size_t size, std::align_val_t align) {
  note(operator_new_calls);
  const std::size_t alignment = std::max(static_cast<std::size_t>(align), sizeof(void*));
  if (size > SIZE_MAX - alignment) throw std::bad_alloc();
  size = (size + alignment - 1) / alignment * alignment;  // aligned_alloc: a multiple of the alignment
  if (size == 0) size = alignment;
  while (true) {
    if (void* p = std::aligned_alloc(alignment, size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

}  // namespace allocations

void* operator new(std::size_t size) { return allocations::allocate(size); }
void* operator new[](std::size_t size) { return allocations::allocate(size); }
void* operator new(std::size_t size, std::align_val_t align) { return allocations::allocate_aligned(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return allocations::allocate_aligned(size, align); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocations::allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return allocations::allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return allocations::allocate_aligned(size, align);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  try {
    return allocations::allocate_aligned(size, align);
  } catch (...) {
    return nullptr;
  }
}
// Memory from malloc and aligned_alloc alike is released with free.
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

// Sanitizers interpose malloc themselves, so it cannot be interposed here; instead their
// allocator reports every allocation (malloc, calloc, realloc, aligned_alloc, and so the
// operator new above) to a hook, which counts it.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define LOSSES_TESTS_SANITIZED_MALLOC 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define LOSSES_TESTS_SANITIZED_MALLOC 1
#endif

#if defined(LOSSES_TESTS_SANITIZED_MALLOC)
// From <sanitizer/allocator_interface.h>, which GCC does not install.
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
namespace allocations {
[[maybe_unused]] const int hooks_installed = __sanitizer_install_malloc_and_free_hooks(
    [](const volatile void*, std::size_t) { note(malloc_calls); }, [](const volatile void*) {});
}  // namespace allocations
#define LOSSES_TESTS_COUNT_MALLOC 1
#elif defined(__GLIBC__)
// glibc lets a program interpose malloc; its own implementations stay reachable under
// these exported names, so the memory and free() are glibc's as usual.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);

void* malloc(std::size_t size) noexcept {
  allocations::note(allocations::malloc_calls);
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
  allocations::note(allocations::malloc_calls);
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) noexcept {
  allocations::note(allocations::malloc_calls);
  return __libc_realloc(pointer, size);
}
}
#define LOSSES_TESTS_COUNT_MALLOC 1
#else
#define LOSSES_TESTS_COUNT_MALLOC 0
#endif

namespace {

struct Counts {
  std::size_t operator_new_calls, malloc_calls;
  std::size_t total() const { return operator_new_calls + malloc_calls; }
};

/// The allocations f makes. Nothing in f may report to Catch (that allocates).
template <class F>
Counts count_allocations(F&& f) {
  allocations::operator_new_calls = 0;
  allocations::malloc_calls = 0;
  struct Window {
    Window() { allocations::counting = true; }
    ~Window() { allocations::counting = false; }
  };
  {
    const Window window;
    f();
  }
  return {allocations::operator_new_calls, allocations::malloc_calls};
}

// Where allocated pointers escape to, so that no compiler may elide an allocation.
void* volatile sink = nullptr;

struct alignas(64) OverAligned {
  unsigned char bytes[64];
};

}  // namespace

TEST_CASE("the allocation counter counts every operator new and Eigen's heap arrays, inside its window only",
          "[allocations]") {
  CHECK(count_allocations([] {}).total() == 0);

  const auto one = [](auto allocate, auto release) {
    const Counts counts = count_allocations([&] { sink = allocate(); });
    release(sink);
    return counts;
  };
  CHECK(one([] { return new int(1); }, [](void* p) { delete static_cast<int*>(p); }).operator_new_calls == 1);
  CHECK(one([] { return new int[3]; }, [](void* p) { delete[] static_cast<int*>(p); }).operator_new_calls == 1);
  CHECK(one([] { return new (std::nothrow) int(1); }, [](void* p) { delete static_cast<int*>(p); })
            .operator_new_calls == 1);
  CHECK(one([] { return new OverAligned(); }, [](void* p) { delete static_cast<OverAligned*>(p); })
            .operator_new_calls == 1);
  std::uintptr_t address = 1;
  CHECK(one([] { return new (std::nothrow) OverAligned[2]; },
            [&](void* p) {
              address = reinterpret_cast<std::uintptr_t>(p);
              delete[] static_cast<OverAligned*>(p);
            })
            .operator_new_calls == 1);
  CHECK(address % 64 == 0);  // the aligned forms align

  const Counts vector = count_allocations([] {
    std::vector<double> v(100, 1.0);
    sink = v.data();
  });
  CHECK(vector.total() >= 1);

  const Counts eigen = count_allocations([] {
    Eigen::ArrayXXd a = Eigen::ArrayXXd::Constant(64, 64, 1.0);
    sink = a.data();
  });
#if LOSSES_TESTS_COUNT_MALLOC
  CHECK(eigen.malloc_calls >= 1);
#else
  WARN("malloc is not interposed on this platform: Eigen's own allocations are not counted");
  (void)eigen;
#endif

  // Outside the window nothing is counted, and the counts of the last window remain.
  sink = new int(2);
  delete static_cast<int*>(sink);
  CHECK(allocations::operator_new_calls == eigen.operator_new_calls);
}

namespace {

/// Counts the allocations of value_and_gradient_into for every loss option, with y, p and
/// the weights in form F and gradient_out a destination of the matching kind.
template <class Kind, class S, support::Form F>
void check_no_allocation(const contract::Problem& pb, bool exact_path) {
  using support::Array;
  using support::Form;
  const auto y = [&] {
    if constexpr (Kind::sparse) {
      return support::Stored<int>(Array<int>(pb.labels));
    } else {
      return support::Stored<S>(pb.y.cast<S>());
    }
  }();
  const support::Stored<S> p(pb.p.cast<S>());
  const support::Stored<S> sample_w(Array<S>(pb.sample_weight.cast<S>()));
  const support::Stored<S> element_w(pb.element_weight.cast<S>());
  const Eigen::Index n = pb.rows(), m = pb.cols();

  // Destinations, allocated before counting.
  Array<S> plain(n, m), big(n + 4, m + 4), transposed(m, n);
  std::vector<S> memory(static_cast<std::size_t>(n * m));
  const auto into = [&](const auto& loss, const auto& w) {
    const auto& yv = support::view<F>(y);
    const auto& pv = support::view<F>(p);
    if constexpr (F == Form::map) {
      return contract::into_of(loss, yv, pv, Eigen::Map<Array<S>>(memory.data(), n, m), w);
    } else if constexpr (F == Form::block) {
      return contract::into_of(loss, yv, pv, big.block(2, 2, n, m), w);
    } else if constexpr (F == Form::transpose) {
      return contract::into_of(loss, yv, pv, transposed.transpose(), w);
    } else {
      return contract::into_of(loss, yv, pv, plain, w);
    }
  };

  for (const losses::Reduction reduction : {losses::Reduction::mean, losses::Reduction::sum}) {
    typename Kind::template Loss<S> loss;
    loss.reduction(reduction);
    if constexpr (Kind::probabilities) {
      if (exact_path) loss.epsilon(0);
    }
    const auto check = [&](const auto& w, const char* weighting) {
      INFO(support::form_name(F) << ", " << weighting << ", " << sizeof(S) << "-byte scalar");
      S value = 0;
      const Counts counts = count_allocations([&] { value = into(loss, w); });
      CHECK(counts.operator_new_calls == 0);
      CHECK(counts.malloc_calls == 0);
      // The call did its work: the value is the loss's.
      CHECK(support::close(value, contract::value_of(loss, support::view<Form::plain>(y), p.plain, w),
                           4 * contract::eps<S>() * double(n * m), 0));
    };
    check(contract::Unweighted{}, "unweighted");
    check(support::view<F>(sample_w), "per-sample weights");
    if constexpr (Kind::element_terms) check(support::view<F>(element_w), "element weights");
  }
}

/// Spanning several blocks: 700 x 3 walks columns in three blocks each, 3 x 700 (and
/// every transpose) rows in three blocks each. With ε = 0 and predictions on their 0/1
/// targets, blocks also take the exact scalar path.
template <class Kind, class S>
void check_no_allocation_for_every_form() {
  for (const auto& [rows, cols] : {std::pair<Eigen::Index, Eigen::Index>{700, 3}, {3, 700}}) {
    for (const bool exact_path : {false, true}) {
      if (exact_path && !Kind::probabilities) continue;
      contract::Problem pb = contract::make_problem<Kind>(rows, cols, 301);
      if (exact_path) {
        for (Eigen::Index i = 0; i < rows; i += 5) {
          if constexpr (Kind::sparse) {
            pb.p(i, pb.labels(i)) = 1;
          } else {
            pb.p.row(i) = pb.y.row(i).unaryExpr([](double v) { return v == 0 || v == 1 ? v : 0.5; });
          }
        }
      }
      check_no_allocation<Kind, S, support::Form::plain>(pb, exact_path);
      check_no_allocation<Kind, S, support::Form::map>(pb, exact_path);
      check_no_allocation<Kind, S, support::Form::block>(pb, exact_path);
      check_no_allocation<Kind, S, support::Form::transpose>(pb, exact_path);
    }
  }
}

}  // namespace

TEMPLATE_TEST_CASE("value_and_gradient_into allocates nothing for plain, Map, block and transpose inputs",
                   "[allocations]", contract::MseKind, contract::BceKind, contract::CceKind, contract::SparseKind) {
  check_no_allocation_for_every_form<TestType, float>();
  check_no_allocation_for_every_form<TestType, double>();
}
