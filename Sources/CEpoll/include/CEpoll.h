// SPDX-License-Identifier: Apache-2.0
//
// The epoll calls behind token-proxy's event loops. Swift's Glibc module does
// not include <sys/epoll.h>, and `struct epoll_event` is packed on x86-64;
// these wrappers take and return plain, unpacked values instead.
#ifndef CEPOLL_H
#define CEPOLL_H

#include <stdint.h>

/// Readiness bits, as epoll reports them.
enum {
    TP_EPOLL_IN = 0x001,
    TP_EPOLL_OUT = 0x004,
    TP_EPOLL_ERR = 0x008,
    TP_EPOLL_HUP = 0x010,
};

/// One ready descriptor: the token it was registered with and what it is ready for.
typedef struct {
    uint64_t token;
    uint32_t events;
} tp_epoll_ready;

/// epoll_create1(EPOLL_CLOEXEC).
int tp_epoll_create(void);

/// epoll_ctl with EPOLL_CTL_ADD, EPOLL_CTL_MOD or EPOLL_CTL_DEL; level-triggered.
int tp_epoll_add(int epoll, int descriptor, uint32_t events, uint64_t token);
int tp_epoll_modify(int epoll, int descriptor, uint32_t events, uint64_t token);
int tp_epoll_delete(int epoll, int descriptor);

/// epoll_wait until a descriptor is ready (retried when a signal interrupts it); fills at most
/// `capacity` entries of `ready` (capacity at most 256) and returns how many, or -1 with errno set.
int tp_epoll_wait(int epoll, tp_epoll_ready *ready, int capacity);

/// eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK): a descriptor another thread makes readable with
/// `tp_event_signal`, to wake a thread blocked in `tp_epoll_wait`.
int tp_event_create(void);
int tp_event_signal(int event);

#endif
