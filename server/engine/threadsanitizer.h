#pragma once

// Telling ThreadSanitizer about hand-offs it cannot see (preset `tsan`; no
// code at all in any other build).
//
// Debian's Qt is not instrumented, and its QMutex and QSemaphore are futexes
// that ThreadSanitizer does not intercept: a QEvent posted to another thread,
// or a job queued on a QThreadPool, is ordered by a lock that TSan never sees,
// so everything the receiving thread reads of what the sender wrote looks
// like a data race. Where such a hand-off passes through our code, a release
// on the sending side and an acquire on the receiving side, on the same
// address, state the order that the uninstrumented lock guarantees.

#if defined(__SANITIZE_THREAD__)
#define NATTER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NATTER_TSAN 1
#endif
#endif

#if defined(NATTER_TSAN)
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace natter::tsan {

// Everything this thread did so far happens before what follows acquire(address).
inline void release([[maybe_unused]] const void *address)
{
#if defined(NATTER_TSAN)
    __tsan_release(const_cast<void *>(address));
#endif
}

inline void acquire([[maybe_unused]] const void *address)
{
#if defined(NATTER_TSAN)
    __tsan_acquire(const_cast<void *>(address));
#endif
}

} // namespace natter::tsan
