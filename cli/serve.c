/* serve.c - `dyad serve`: the dashboard and its JSON API over the event store, until stopped. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#ifndef DYAD_DEFAULT_WEB
#define DYAD_DEFAULT_WEB "web"
#endif

static const char usage_text[] =
    "usage: dyad serve --db FILE [--port N] [--host ADDR] [--web DIR] [--threads N]\n"
    "Serve the dashboard (a timeline per dyad or actor, the events table, each article with\n"
    "its actors, verbs and quotations highlighted) and its JSON API under /api/\n"
    "(docs/dashboard.md) until interrupted (Ctrl-C, SIGTERM).\n"
    "  --db FILE       the event store filled by 'dyad code --db' or 'dyad load'\n"
    "                  (default: $DYAD_DB); opened read-only\n"
    "  --port N        the port (default 8080; 0: any free port, printed at start)\n"
    "  --host ADDR     the address to listen on (default 127.0.0.1: this machine only)\n"
    "  --web DIR       the dashboard's files (default: $DYAD_WEB, else the web/ of the\n"
    "                  source tree dyad was built in)\n"
    "  --threads N     request threads, each with its own store handle (default 4)\n";

static int parse_uint(const char *opt, const char *v, unsigned long max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = v ? strtoul(v, &end, 10) : 0;
    if (!v || errno || end == v || *end || v[0] == '-' || n > max)
        return cli_usage("serve", "%s: expected a number from 0 to %lu, got '%s'", opt, max,
                         v ? v : "");
    *out = (unsigned)n;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    dyad_server_opts opts;
    dyad_server_opts_default(&opts);
    opts.port = 8080;
    const char *db = NULL, *web = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        bool takes = strcmp(a, "--db") == 0 || strcmp(a, "--port") == 0 ||
                     strcmp(a, "--host") == 0 || strcmp(a, "--web") == 0 ||
                     strcmp(a, "--threads") == 0;
        if (!takes)
            return cli_usage("serve", "unknown option '%s'", a);
        if (!v)
            return cli_usage("serve", "%s needs a value", a);
        i++;
        if (strcmp(a, "--db") == 0)
            db = v;
        else if (strcmp(a, "--web") == 0)
            web = v;
        else if (strcmp(a, "--host") == 0)
            opts.host = v;
        else if (strcmp(a, "--port") == 0) {
            if (parse_uint(a, v, 65535, &opts.port))
                return EXIT_USAGE;
        } else {
            if (parse_uint(a, v, 64, &opts.threads))
                return EXIT_USAGE;
            if (!opts.threads)
                return cli_usage("serve", "--threads: expected a number from 1 to 64, got 0");
        }
    }
    opts.db = cli_db_path(db);
    if (!opts.db)
        return cli_usage("serve", "no database: give --db FILE or set DYAD_DB");
    if (!web) {
        const char *env = getenv("DYAD_WEB");
        web = env && *env ? env : DYAD_DEFAULT_WEB;
    }
    opts.web_dir = web;

    /* Signals are taken by sigwait below: block them before the server's threads start, so
     * that they inherit the mask.  A client that goes away must not kill the server. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    dyad_server *server = NULL;
    dyad_error err = {0};
    if (dyad_server_start(&opts, &server, &err)) {
        cli_report("error", &err);
        return err.code == DYAD_EINVAL ? EXIT_USAGE : EXIT_FATAL;
    }
    bool v6 = strchr(opts.host, ':') != NULL;
    fprintf(stderr, "dyad: serving %s at http://%s%s%s:%u/ (Ctrl-C stops)\n", opts.db,
            v6 ? "[" : "", opts.host, v6 ? "]" : "", dyad_server_port(server));
    fflush(stderr);
    int sig = 0;
    sigwait(&stop, &sig);
    dyad_server_stop(server);
    fprintf(stderr, "dyad: stopped\n");
    return EXIT_OK;
}
