# NATTER_SANITIZE: build every Natter target with the given sanitizers, the
# list -fsanitize= takes, e.g. "address,undefined" (presets `asan`) or "thread"
# (preset `tsan`). Empty (the default): no sanitizer. gcc's runtimes (libasan,
# libubsan, liblsan, libtsan) come with the compiler (build-essential), clang's
# with clang: nothing else to install.
#
# Only our code is instrumented: Qt, SQLite, libpq, libsodium... are the
# distribution's builds. tests/sanitizers/ holds the suppressions for what that
# leaves (reports whose cause is inside those libraries), with the reason for each.
set(NATTER_SANITIZE "" CACHE STRING
    "Sanitizers to build with, as for -fsanitize= (e.g. address,undefined or thread); empty: none")

if(NATTER_SANITIZE)
    if(NATTER_SANITIZE MATCHES "thread" AND NATTER_SANITIZE MATCHES "address")
        message(FATAL_ERROR "NATTER_SANITIZE: thread and address sanitizers cannot be combined")
    endif()
    message(STATUS "Natter: building with -fsanitize=${NATTER_SANITIZE}")
    # Frame pointers: readable stacks in reports at no real cost.
    add_compile_options(-fsanitize=${NATTER_SANITIZE} -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${NATTER_SANITIZE})
    if(NATTER_SANITIZE MATCHES "undefined")
        # An UBSan finding aborts the test instead of printing a line that a
        # passing suite hides.
        add_compile_options(-fno-sanitize-recover=undefined)
        add_link_options(-fno-sanitize-recover=undefined)
    endif()
endif()

# NATTER_FUZZ: the libFuzzer targets in tests/fuzz (preset `fuzz`). Needs
# clang (Debian's clang and its libclang-rt-dev runtime); every Natter target
# gets libFuzzer's coverage instrumentation, the fuzz targets its main().
option(NATTER_FUZZ "Build the libFuzzer targets (clang only)" OFF)
if(NATTER_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "NATTER_FUZZ needs clang (cmake --preset fuzz)")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()
