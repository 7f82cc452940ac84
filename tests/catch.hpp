// The one place the tests meet Catch2: version 3 when the build found it, 2.13 otherwise.
#ifndef LOSSES_TESTS_CATCH_HPP
#define LOSSES_TESTS_CATCH_HPP

#if LOSSES_CATCH2_V3
#include <catch2/catch_approx.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>
using Catch::Approx;
namespace Catch {
// Catch2 2's name for the substring matcher, which Catch2 3 renamed.
inline Matchers::StringContainsMatcher Contains(const std::string& text) { return Matchers::ContainsSubstring(text); }
}  // namespace Catch
#else
#include <catch2/catch.hpp>
#endif

#endif  // LOSSES_TESTS_CATCH_HPP
