/*
 * socketracer: the unprivileged attacker of zeusd's socket setup, for the integration tests. Bounded by time.
 *
 *   socketracer swap PATH TARGET MILLIS
 *       Whenever PATH is a socket, atomically replaces it with a symlink to TARGET (rename over it), as a user who can
 *       write the socket's directory would do between zeusd's bind and its chmod/chown. Prints "swaps=N".
 *   socketracer connect PATH MILLIS
 *       Connects to PATH as fast as it can. Prints "connected=N attempts=M": N > 0 means the socket was connectable
 *       by this user at some moment.
 *   SIGTERM ends either loop early; the counters are printed all the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping;

static void on_sigterm(int signal)
{
    (void)signal;
    stopping = 1;
}

static int running(long long deadline);

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int running(long long deadline)
{
    return !stopping && now_ms() < deadline;
}

static int swap(const char *path, const char *target, long long deadline)
{
    char link_path[4096];
    if (snprintf(link_path, sizeof link_path, "%s.racer-link", path) >= (int)sizeof link_path) {
        fprintf(stderr, "path too long\n");
        return 2;
    }
    long swaps = 0;
    while (running(deadline)) {
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISSOCK(st.st_mode)) {
            continue;
        }
        unlink(link_path);
        if (symlink(target, link_path) != 0) {
            continue;
        }
        if (rename(link_path, path) == 0) {
            swaps++;
        }
    }
    unlink(link_path);
    printf("swaps=%ld\n", swaps);
    return 0;
}

static int connect_loop(const char *path, long long deadline)
{
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "path too long\n");
        return 2;
    }
    strcpy(address.sun_path, path);
    long connected = 0, attempts = 0;
    while (running(deadline)) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            perror("socket");
            return 2;
        }
        attempts++;
        if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) {
            connected++;
        }
        close(fd);
    }
    printf("connected=%ld attempts=%ld\n", connected, attempts);
    return 0;
}

int main(int argc, char **argv)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigterm;
    sigaction(SIGTERM, &action, NULL);
    if (argc == 5 && strcmp(argv[1], "swap") == 0) {
        return swap(argv[2], argv[3], now_ms() + atoll(argv[4]));
    }
    if (argc == 4 && strcmp(argv[1], "connect") == 0) {
        return connect_loop(argv[2], now_ms() + atoll(argv[3]));
    }
    fprintf(stderr, "usage: socketracer swap PATH TARGET MILLIS | socketracer connect PATH MILLIS\n");
    return 2;
}
