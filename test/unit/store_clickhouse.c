/* store_clickhouse.c - ClickHouse store addresses that need no server: bad ones are refused
 * with a reason, an address where nothing listens fails as I/O, a password is never shown.
 * (The store itself is tested against real servers by `make test-clickhouse`.) */
#include "dyad.h"
#include "t.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* Open uri for writing; returns the status, the message in err. */
static dyad_status try_open(const char *uri, unsigned flags, dyad_error *err)
{
    dyad_store_opts opts;
    dyad_store_opts_default(&opts);
    opts.flags = flags;
    dyad_store *s = NULL;
    memset(err, 0, sizeof *err);
    dyad_status st = dyad_store_open(uri, &opts, &s, err);
    dyad_store_close(s, NULL);
    return st;
}

/* A loopback port nothing listens on: bound, then closed. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static const struct {
        const char *name, *uri, *why;
    } bad[] = {
        {"ch-uri-no-host", "clickhouse://", "no server named"},
        {"ch-uri-no-host-db", "clickhouse:///dyad", "no server named"},
        {"ch-uri-port-zero", "clickhouse://127.0.0.1:0/dyad", "is not a port"},
        {"ch-uri-port-big", "clickhouse://127.0.0.1:65536/dyad", "is not a port"},
        {"ch-uri-port-text", "clickhouse://127.0.0.1:http/dyad", "is not a port"},
        {"ch-uri-host", "clickhouse://ho st:8123/dyad", "is not a host name"},
        {"ch-uri-db-dash", "clickhouse://127.0.0.1:8123/my-db", "is not a database name"},
        {"ch-uri-db-quote", "clickhouse://127.0.0.1:8123/d`b", "is not a database name"},
        {"ch-uri-db-digit", "clickhouse://127.0.0.1:8123/1db", "is not a database name"},
        {"ch-uri-param", "clickhouse://127.0.0.1:8123/dyad?shards=2", "unknown parameter"},
        {"ch-uri-cluster", "clickhouse://127.0.0.1:8123/dyad?cluster=a;b", "is not a cluster"},
        {"ch-uri-two-no-cluster", "clickhouse://127.0.0.1:8123,127.0.0.1:8124/dyad",
         "need ?cluster=NAME"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        dyad_error e;
        dyad_status st = try_open(bad[i].uri, 0, &e);
        T_CHECK(bad[i].name, st == DYAD_EINVAL && strstr(e.msg, bad[i].why));
    }

    int port = closed_port();
    if (!port) {
        T_SKIP("ch-unreachable", "no loopback socket");
        T_DONE();
    }
    char uri[160];
    dyad_error e;
    snprintf(uri, sizeof uri, "clickhouse://127.0.0.1:%d/dyad", port);
    T_CHECK("ch-unreachable-write", try_open(uri, 0, &e) == DYAD_EIO &&
                                        strstr(e.msg, "cannot reach"));
    T_CHECK("ch-unreachable-read", try_open(uri, DYAD_STORE_READONLY, &e) == DYAD_EIO &&
                                       strstr(e.msg, "cannot reach") &&
                                       strstr(e.file, "clickhouse://127.0.0.1:"));
    snprintf(uri, sizeof uri, "clickhouse://reader:s3cret@127.0.0.1:%d/dyad", port);
    T_CHECK("ch-password-hidden", try_open(uri, DYAD_STORE_READONLY, &e) == DYAD_EIO &&
                                      strstr(e.file, "reader@127.0.0.1") &&
                                      !strstr(e.file, "s3cret") && !strstr(e.msg, "s3cret"));
    snprintf(uri, sizeof uri, "clickhouse://[::1]:%d,127.0.0.1:%d/dyad?cluster=two", port,
             port);
    T_CHECK("ch-uri-ipv6-cluster", try_open(uri, 0, &e) == DYAD_EIO);
    T_CHECK("ch-other-scheme", try_open("postgres://127.0.0.1/dyad", 0, &e) ==
                                   DYAD_EUNSUPPORTED);
    T_DONE();
}
