// SPDX-License-Identifier: Apache-2.0
#include "CEpoll.h"

#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

_Static_assert(TP_EPOLL_IN == EPOLLIN && TP_EPOLL_OUT == EPOLLOUT, "epoll bits");
_Static_assert(TP_EPOLL_ERR == EPOLLERR && TP_EPOLL_HUP == EPOLLHUP, "epoll bits");

enum { MAX_READY = 256 };

int tp_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static int control(int epoll, int operation, int descriptor, uint32_t events, uint64_t token) {
    struct epoll_event event = {.events = events, .data.u64 = token};
    return epoll_ctl(epoll, operation, descriptor, &event);
}

int tp_epoll_add(int epoll, int descriptor, uint32_t events, uint64_t token) {
    return control(epoll, EPOLL_CTL_ADD, descriptor, events, token);
}

int tp_epoll_modify(int epoll, int descriptor, uint32_t events, uint64_t token) {
    return control(epoll, EPOLL_CTL_MOD, descriptor, events, token);
}

int tp_epoll_delete(int epoll, int descriptor) { return control(epoll, EPOLL_CTL_DEL, descriptor, 0, 0); }

int tp_epoll_wait(int epoll, tp_epoll_ready *ready, int capacity) {
    struct epoll_event events[MAX_READY];
    if (capacity > MAX_READY) capacity = MAX_READY;
    int count;
    do {
        count = epoll_wait(epoll, events, capacity, -1);
    } while (count < 0 && errno == EINTR);
    for (int index = 0; index < count; index++) {
        ready[index].token = events[index].data.u64;
        ready[index].events = events[index].events;
    }
    return count;
}

int tp_event_create(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

int tp_event_signal(int event) {
    uint64_t one = 1;
    return write(event, &one, sizeof one) == sizeof one ? 0 : -1;
}
