// Compiler diagnostics the library's own code must not trigger in users' -Werror builds.
//
// GCC 12 at -O2 reports the fixed-capacity block buffers of the loss passes (only their
// first `size` entries are ever written or read) as "maybe uninitialized" once Eigen's
// packet code is inlined into them: a false positive. The passes that use such buffers are
// wrapped in these two macros.
#ifndef LOSSES_DETAIL_DIAGNOSTICS_HPP
#define LOSSES_DETAIL_DIAGNOSTICS_HPP

#if defined(__GNUC__) && !defined(__clang__)
#define LOSSES_DETAIL_BLOCK_BUFFERS_BEGIN \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define LOSSES_DETAIL_BLOCK_BUFFERS_END _Pragma("GCC diagnostic pop")
#else
#define LOSSES_DETAIL_BLOCK_BUFFERS_BEGIN
#define LOSSES_DETAIL_BLOCK_BUFFERS_END
#endif

#endif  // LOSSES_DETAIL_DIAGNOSTICS_HPP
