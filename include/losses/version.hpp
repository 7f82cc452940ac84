// The one place the library's version lives; CMake reads it from here.
#ifndef LOSSES_VERSION_HPP
#define LOSSES_VERSION_HPP

#define LOSSES_VERSION_MAJOR 0
#define LOSSES_VERSION_MINOR 1
#define LOSSES_VERSION_PATCH 0

#endif  // LOSSES_VERSION_HPP
