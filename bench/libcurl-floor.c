// SPDX-License-Identifier: Apache-2.0
//
// The CPU libcurl itself spends per request, as token-proxy drives it: one epoll loop
// calling curl_multi_socket_action, N transfers in flight, each easy handle reset and
// reused on a kept-alive connection, an Authorization header added, the body discarded.
// No client side at all: no accept, no parse, no response written. What it prints is the
// floor under token-proxy's upstream half; bench/run measures it as the "libcurl" row.
//
//   libcurl-floor URL CONNECTIONS SECONDS [--http2]
//
// After one second of warm-up, measures for SECONDS and prints one line as bench/wrk.lua's
// (a response other than 200 counts as a status error), plus its own CPU time (user + system)
// in clock ticks and its peak RSS:
//   BENCH requests= duration_us= p50_us= p99_us= connect=0 read=0 write=0 status= timeout=0 ticks= rss_kb=
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int epoll_fd;
static double timer_deadline = -1;  // when curl wants its timeout action; -1: not armed
static long completed, failed_statuses;
static double *latencies;
static long latency_count, latency_capacity;
static struct curl_slist *headers;
static const char *url;
static int use_http2;

static size_t discard(char *data, size_t size, size_t count, void *context) {
    (void)data; (void)context;
    return size * count;
}

static curl_socket_t open_socket(void *context, curlsocktype purpose, struct curl_sockaddr *address);

// When a transfer started, kept with its handle.
typedef struct {
    double started;
} Slot;

static void configure(CURL *easy, Slot *slot) {
    curl_easy_reset(easy);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, slot);
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 65536L);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, use_http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void start(CURLM *multi, CURL *easy, Slot *slot) {
    configure(easy, slot);
    slot->started = now();
    curl_multi_add_handle(multi, easy);
}

// Interest as token-proxy's SocketWatch keeps it: epoll_ctl only when it widens; what curl no
// longer wants is dropped when the socket next reports it. A new socket starts unregistered.
enum { MAX_FD = 65536 };
static uint32_t wanted[MAX_FD], registered[MAX_FD];

static curl_socket_t open_socket(void *context, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)context; (void)purpose;
    curl_socket_t fd = socket(address->family, address->socktype, address->protocol);
    if (fd >= 0 && fd < MAX_FD) wanted[fd] = registered[fd] = 0;
    return fd;
}

static void reg(int fd, uint32_t events) {
    struct epoll_event event = {.events = events, .data.fd = fd};
    int operation = events == 0 ? EPOLL_CTL_DEL : registered[fd] == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    epoll_ctl(epoll_fd, operation, fd, &event);
    registered[fd] = events;
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *context, void *socket_context) {
    (void)easy; (void)context; (void)socket_context;
    if (fd >= MAX_FD) abort();
    wanted[fd] = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);  // REMOVE: none
    if (wanted[fd] & ~registered[fd]) reg(fd, registered[fd] | wanted[fd]);
    return 0;
}

static int on_timer(CURLM *multi, long ms, void *context) {
    (void)multi; (void)context;
    timer_deadline = ms < 0 ? -1 : now() + ms / 1e3;
    return 0;
}

static void record_latency(double seconds) {
    if (latency_count == latency_capacity) {
        latency_capacity = latency_capacity ? latency_capacity * 2 : 1 << 16;
        latencies = realloc(latencies, latency_capacity * sizeof *latencies);
        if (!latencies) abort();
    }
    latencies[latency_count++] = seconds;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long percentile_us(double fraction) {
    if (latency_count == 0) return 0;
    qsort(latencies, latency_count, sizeof *latencies, ascending);
    return (long)(latencies[(long)(fraction * (latency_count - 1))] * 1e6);
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: libcurl-floor URL CONNECTIONS SECONDS [--http2]\n");
        return 2;
    }
    url = argv[1];
    int connections = atoi(argv[2]);
    double seconds = atof(argv[3]);
    use_http2 = argc > 4 && strcmp(argv[4], "--http2") == 0;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    headers = curl_slist_append(NULL, "Authorization: Bearer floor-token");
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 256L);
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_NOTHING);
    Slot *slots = calloc(connections, sizeof *slots);
    for (int i = 0; i < connections; i++) start(multi, curl_easy_init(), &slots[i]);

    int running = 0;
    double started = 0, cpu_started = 0, deadline = now() + 1 + seconds;
    struct epoll_event events[64];
    while (now() < deadline) {
        if (started == 0 && now() >= deadline - seconds) {  // one second of warm-up first
            started = now();
            cpu_started = cpu_seconds();
        }
        int wait_ms = timer_deadline < 0 ? 100 : (int)((timer_deadline - now()) * 1e3);
        int ready = epoll_wait(epoll_fd, events, 64, wait_ms < 0 ? 0 : wait_ms);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            uint32_t unwanted = events[i].events & registered[fd] & ~wanted[fd];
            if (unwanted || (wanted[fd] == 0 && events[i].events & (EPOLLERR | EPOLLHUP))) {
                reg(fd, wanted[fd]);
                if (wanted[fd] == 0) continue;
            }
            int mask = (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR) ? CURL_CSELECT_IN : 0) |
                       (events[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0);
            curl_multi_socket_action(multi, fd, mask, &running);
        }
        if (timer_deadline >= 0 && now() >= timer_deadline) {
            timer_deadline = -1;
            curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            if (message->data.result != CURLE_OK) {
                fprintf(stderr, "transfer failed: %s\n", curl_easy_strerror(message->data.result));
                return 1;
            }
            CURL *easy = message->easy_handle;
            Slot *slot;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&slot);
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            if (started > 0 && slot->started >= started) {
                completed++;
                if (status != 200) failed_statuses++;
                record_latency(now() - slot->started);
            }
            curl_multi_remove_handle(multi, easy);
            start(multi, easy, slot);
        }
    }
    double elapsed = now() - started, cpu = cpu_seconds() - cpu_started;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("BENCH requests=%ld duration_us=%ld p50_us=%ld p99_us=%ld connect=0 read=0 write=0 status=%ld timeout=0 "
           "ticks=%ld rss_kb=%ld\n",
           completed, (long)(elapsed * 1e6), percentile_us(0.50), percentile_us(0.99), failed_statuses,
           (long)(cpu * sysconf(_SC_CLK_TCK) + 0.5), usage.ru_maxrss);
    return 0;
}
