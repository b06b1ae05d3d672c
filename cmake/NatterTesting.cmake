# add_natter_test(NAME SOURCES... [LIBRARIES libs...] [TIMEOUT s] [LABELS l...] [XVFB] [KEYRING])
# One Qt Test suite, one executable, one CTest entry. Tests run with the
# offscreen platform; XVFB runs one in a real X server (xvfb-run) instead, for
# tests that need a real window; KEYRING on a session bus of its own with an
# unlocked GNOME Keyring (tests/support/with-keyring.sh). Artifacts (screenshots) go to
# <build>/test-artifacts (NATTER_ARTIFACT_DIR).
#
# LABELS sanitize marks the suites that also run under the sanitizer presets
# (`asan` in CI, `tsan` by hand: README, "Sanitizers"); their executables are
# collected in the global property NATTER_SANITIZE_SUITES, which the target
# natter_sanitize_suites (tests/CMakeLists.txt) builds, and nothing else.
find_program(NATTER_XVFB_RUN xvfb-run)
# Instrumented code runs slower (ThreadSanitizer 5-15x, ASan about 2x): the
# suites' time limits grow with it, so a limit hit means a hang, not the sanitizer.
if(NATTER_SANITIZE MATCHES "thread")
    set(NATTER_TEST_TIMEOUT_FACTOR 4)
elseif(NATTER_SANITIZE)
    set(NATTER_TEST_TIMEOUT_FACTOR 2)
else()
    set(NATTER_TEST_TIMEOUT_FACTOR 1)
endif()
function(add_natter_test name)
    cmake_parse_arguments(ARG "XVFB;KEYRING" "TIMEOUT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
    qt_add_executable(${name} ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
    natter_strict_target(${name})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBRARIES})
    set(platform offscreen)
    if(ARG_XVFB)
        if(NOT NATTER_XVFB_RUN)
            message(FATAL_ERROR "${name} needs xvfb-run (Debian package xvfb)")
        endif()
        add_test(NAME ${name} COMMAND ${NATTER_XVFB_RUN} -a -s "-screen 0 1280x800x24" $<TARGET_FILE:${name}>)
        set(platform xcb)
    elseif(ARG_KEYRING)
        # A session bus and an unlocked GNOME Keyring of the test's own (tests/support/with-keyring.sh).
        add_test(NAME ${name} COMMAND ${PROJECT_SOURCE_DIR}/tests/support/with-keyring.sh $<TARGET_FILE:${name}>)
    else()
        add_test(NAME ${name} COMMAND ${name})
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * ${NATTER_TEST_TIMEOUT_FACTOR}")
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=${platform};NATTER_BINARY=$<TARGET_FILE:natter>;NATTER_ARTIFACT_DIR=${CMAKE_BINARY_DIR}/test-artifacts")
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
    if("sanitize" IN_LIST ARG_LABELS)
        set_property(GLOBAL APPEND PROPERTY NATTER_SANITIZE_SUITES ${name})
    endif()
endfunction()

# The suite once more, its servers serving sockets from socket threads
# (ServerConfig::threads = 3: the server's thread and two socket threads).
function(add_natter_threaded_run name)
    add_test(NAME ${name}_threads COMMAND ${name})
    get_test_property(${name} TIMEOUT timeout)
    get_test_property(${name} LABELS labels)
    if(labels)
        set_tests_properties(${name}_threads PROPERTIES LABELS "${labels}")
    endif()
    set_tests_properties(${name}_threads PROPERTIES TIMEOUT ${timeout}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;NATTER_TEST_THREADS=3;NATTER_BINARY=$<TARGET_FILE:natter>;NATTER_ARTIFACT_DIR=${CMAKE_BINARY_DIR}/test-artifacts")
endfunction()
