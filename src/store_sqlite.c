/* store_sqlite.c - the SQLite backend of the event store: schema, batched writes, queries. */
#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* PRAGMA application_id of a dyad database: the bytes "dyad". */
#define DYAD_SQLITE_APP_ID 0x64796164

/* The schema, version DYAD_STORE_SCHEMA (docs/store.md).  Run once, on an empty database. */
static const char schema_sql[] =
    "CREATE TABLE articles(\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  date TEXT, title TEXT, url TEXT, source TEXT, text TEXT);\n"
    "CREATE TABLE sentences(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article TEXT NOT NULL,\n"
    "  idx INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  UNIQUE(article, idx));\n"
    "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences',\n"
    "  content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');\n"
    "CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN\n"
    "  INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END;\n"
    "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN\n"
    "  INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);\n"
    "  END;\n"
    "CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN\n"
    "  INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);\n"
    "  INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END;\n"
    "CREATE TABLE events(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article TEXT NOT NULL,\n"
    "  sentence INTEGER NOT NULL,\n"
    "  date TEXT NOT NULL,\n"
    "  day TEXT NOT NULL,\n"
    "  source TEXT, source_text TEXT, target TEXT, target_text TEXT,\n"
    "  code TEXT NOT NULL, root TEXT NOT NULL, quad INTEGER NOT NULL, goldstein REAL NOT NULL,\n"
    "  location TEXT, country TEXT,\n"
    "  verb TEXT, verb_start INTEGER NOT NULL, verb_end INTEGER NOT NULL,\n"
    "  pattern TEXT, dictionary TEXT, line INTEGER NOT NULL,\n"
    "  flags INTEGER NOT NULL);\n"
    "CREATE INDEX events_article ON events(article, sentence);\n"
    "CREATE INDEX events_source ON events(source, day);\n"
    "CREATE INDEX events_target ON events(target, day);\n"
    "CREATE TABLE quotes(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article TEXT NOT NULL,\n"
    "  sentence INTEGER NOT NULL,\n"
    "  speaker TEXT, speaker_text TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  text_start INTEGER NOT NULL, text_end INTEGER NOT NULL);\n"
    "CREATE INDEX quotes_article ON quotes(article, sentence);\n"
    "CREATE VIEW actors(article, code, text, count) AS\n"
    "  SELECT article, code, text, COUNT(*) FROM (\n"
    "    SELECT article, source AS code, source_text AS text FROM events WHERE source IS NOT NULL\n"
    "    UNION ALL\n"
    "    SELECT article, target, target_text FROM events WHERE target IS NOT NULL\n"
    "    UNION ALL\n"
    "    SELECT article, speaker, speaker_text FROM quotes WHERE speaker IS NOT NULL)\n"
    "  GROUP BY article, code, text;\n"
    "CREATE VIEW event_groups(date, source, target, code, root, quad, goldstein, num_mentions,\n"
    "                         num_sources, num_articles) AS\n"
    "  SELECT e.day, e.source, e.target, e.code, MIN(e.root), MIN(e.quad), MIN(e.goldstein),\n"
    "         COUNT(*), COUNT(DISTINCT COALESCE(NULLIF(a.source, ''), 'article:' || e.article)),\n"
    "         COUNT(DISTINCT e.article)\n"
    "  FROM events e LEFT JOIN articles a ON a.id = e.article\n"
    "  GROUP BY e.day, e.source, e.target, e.code;\n";

/* Sentences of a batch are staged here and moved into the sentences table with one statement
 * at the end of the batch: the full-text index is then updated in bulk (one FTS5 statement
 * per row would flush the index's pending terms at every row). */
static const char stage_sql[] =
    "CREATE TEMP TABLE stage_sentences(article TEXT NOT NULL, idx INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL);\n"
    "CREATE INDEX temp.stage_sentences_article ON stage_sentences(article);\n"
    "CREATE TEMP TABLE replaced(id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;\n";

static const char unstage_sql[] =
    "DELETE FROM sentences WHERE article IN (SELECT id FROM temp.replaced);\n"
    "INSERT INTO sentences(article, idx, text)\n"
    "  SELECT article, idx, text FROM temp.stage_sentences ORDER BY rowid;\n"
    "DELETE FROM temp.stage_sentences;\n"
    "DELETE FROM temp.replaced;\n";

enum {
    ST_EXISTS, ST_DEL_EVENTS, ST_DEL_QUOTES, ST_DEL_STAGED, ST_REPLACED, ST_ART_FULL,
    ST_ART_CONTENT, ST_ART_META, ST_SENT, ST_EVENT, ST_QUOTE, ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    "SELECT 1 FROM articles WHERE id = ?1",
    "DELETE FROM events WHERE article = ?1",
    "DELETE FROM quotes WHERE article = ?1",
    "DELETE FROM temp.stage_sentences WHERE article = ?1",
    "INSERT OR IGNORE INTO temp.replaced(id) VALUES (?1)",
    "INSERT INTO articles(id, date, title, url, source, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(id) DO UPDATE SET date = excluded.date, title = excluded.title,"
    " url = excluded.url, source = excluded.source, text = excluded.text",
    "INSERT INTO articles(id) VALUES (?1) ON CONFLICT(id) DO NOTHING",
    "INSERT INTO articles(id, date, title, url, source, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(id) DO UPDATE SET date = coalesce(excluded.date, date),"
    " title = coalesce(excluded.title, title), url = coalesce(excluded.url, url),"
    " source = coalesce(excluded.source, source), text = coalesce(excluded.text, text)",
    "INSERT INTO temp.stage_sentences(article, idx, text) VALUES (?1, ?2, ?3)",
    "INSERT INTO events(article, sentence, date, day, source, source_text, target, target_text,"
    " code, root, quad, goldstein, location, country, verb, verb_start, verb_end, pattern,"
    " dictionary, line, flags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    "INSERT INTO quotes(article, sentence, speaker, speaker_text, text, text_start, text_end)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
};

typedef struct sq {
    sqlite3 *db;
    char path[256];
    bool readonly;
    bool in_txn;
    size_t batch, in_batch;
    sqlite3_stmt *st[ST_COUNT];
} sq;

/* ---------------------------------------------------------------- errors */

static dyad_status code_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOMEM: return DYAD_ENOMEM;
    case SQLITE_NOTADB: return DYAD_EFORMAT;
    case SQLITE_CORRUPT: return DYAD_ECORRUPT;
    default: return DYAD_EIO;
    }
}

static dyad_status db_fail(sq *q, dyad_error *err, int rc, const char *what)
{
    dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
    const char *msg = q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);
    return dyad__fail(err, code_of(rc), "%s: %s", what, msg);
}

static int exec(sq *q, const char *sql)
{
    return sqlite3_exec(q->db, sql, NULL, NULL, NULL);
}

/* ---------------------------------------------------------------- opening and closing */

static int pragma_int(sq *q, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static dyad_status sq_close(void *impl, dyad_error *err);

/* Check the database is dyad's, of this schema version; create the schema when empty. */
static dyad_status check_schema(sq *q, dyad_error *err)
{
    int app = 0, version = 0, nobjects = 0, rc;
    if ((rc = pragma_int(q, "PRAGMA application_id", &app)) ||
        (rc = pragma_int(q, "PRAGMA user_version", &version)) ||
        (rc = pragma_int(q, "SELECT count(*) FROM sqlite_master", &nobjects))) {
        if ((rc & 0xff) == SQLITE_NOTADB) {
            dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_EFORMAT, "not a dyad database (not SQLite)");
        }
        return db_fail(q, err, rc, "cannot read the database");
    }
    if (app == 0 && version == 0 && nobjects == 0) {
        if (q->readonly) {
            dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
            return dyad__fail(err, DYAD_ENOTFOUND,
                              "empty database (fill it with dyad load or dyad code --db)");
        }
        char set[128];
        snprintf(set, sizeof set, "PRAGMA application_id = %d; PRAGMA user_version = %d;",
                 DYAD_SQLITE_APP_ID, DYAD_STORE_SCHEMA);
        if ((rc = exec(q, "PRAGMA page_size = 8192")) ||
            (rc = exec(q, "PRAGMA journal_mode = WAL")) || (rc = exec(q, "BEGIN IMMEDIATE")))
            return db_fail(q, err, rc, "cannot create the schema");
        if ((rc = exec(q, schema_sql)) || (rc = exec(q, set)) || (rc = exec(q, "COMMIT"))) {
            dyad_status st = db_fail(q, err, rc, "cannot create the schema");
            exec(q, "ROLLBACK");
            return st;
        }
        return DYAD_OK;
    }
    if (app != DYAD_SQLITE_APP_ID) {
        dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EFORMAT, "not a dyad database (an SQLite database of "
                                             "another program)");
    }
    if (version != DYAD_STORE_SCHEMA) {
        dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EVERSION,
                          "database schema version %d; this dyad reads version %d "
                          "(see docs/store.md)", version, DYAD_STORE_SCHEMA);
    }
    return DYAD_OK;
}

dyad_status dyad__store_sqlite_open(const char *path, const dyad_store_opts *opts, void **impl,
                                    dyad_error *err)
{
    sq *q = calloc(1, sizeof *q);
    if (!q)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory opening %s", path);
    snprintf(q->path, sizeof q->path, "%s", path);
    q->readonly = (opts->flags & DYAD_STORE_READONLY) != 0;
    q->batch = opts->batch_articles ? opts->batch_articles : 1000;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (q->readonly || errno != ENOENT) {
            int e = errno;
            free(q);
            dyad__where(err, path, 0, 0, dyad__slice("", 0));
            return e == ENOENT ? dyad__fail(err, DYAD_ENOTFOUND, "no such database")
                               : dyad__fail(err, DYAD_EIO, "cannot open: %s", strerror(e));
        }
    } else if (S_ISDIR(sb.st_mode)) {
        free(q);
        dyad__where(err, path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EIO, "cannot open: it is a directory");
    }
    int flags = q->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &q->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    dyad_status st = DYAD_OK;
    if (rc != SQLITE_OK) {
        st = db_fail(q, err, rc, "cannot open");
        goto fail;
    }
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, 10000);
    if ((st = check_schema(q, err)))
        goto fail;
    exec(q, "PRAGMA cache_size = -65536");
    exec(q, "PRAGMA temp_store = MEMORY");
    exec(q, "PRAGMA mmap_size = 268435456");
    if (!q->readonly) {
        if ((rc = exec(q, "PRAGMA journal_mode = WAL")) ||
            (rc = exec(q, opts->flags & DYAD_STORE_SAFE ? "PRAGMA synchronous = FULL"
                                                         : "PRAGMA synchronous = NORMAL")) ||
            (rc = exec(q, "PRAGMA wal_autocheckpoint = 10000")) ||
            (rc = exec(q, stage_sql))) {
            st = db_fail(q, err, rc, "cannot set up the database");
            goto fail;
        }
        for (int i = 0; i < ST_COUNT; i++) {
            rc = sqlite3_prepare_v3(q->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i],
                                    NULL);
            if (rc != SQLITE_OK) {
                st = db_fail(q, err, rc, "cannot prepare the writes");
                goto fail;
            }
        }
    }
    *impl = q;
    return DYAD_OK;
fail:
    sq_close(q, NULL);
    return st;
}

static dyad_status sq_flush(void *impl, dyad_error *err)
{
    sq *q = impl;
    if (!q->in_txn)
        return DYAD_OK;
    int rc = exec(q, unstage_sql);
    if (rc == SQLITE_OK)
        rc = exec(q, "COMMIT");
    if (rc != SQLITE_OK) {
        dyad_status st = db_fail(q, err, rc, "cannot commit");
        exec(q, "ROLLBACK");
        q->in_txn = false;
        return st;
    }
    q->in_txn = false;
    q->in_batch = 0;
    return DYAD_OK;
}

static dyad_status sq_close(void *impl, dyad_error *err)
{
    sq *q = impl;
    if (!q)
        return DYAD_OK;
    dyad_status st = q->db ? sq_flush(q, err) : DYAD_OK;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(q->st[i]);
    if (q->db) {
        if (!q->readonly && st == DYAD_OK)
            exec(q, "PRAGMA optimize");
        int rc = sqlite3_close(q->db);
        if (rc != SQLITE_OK && st == DYAD_OK) {
            dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
            st = dyad__fail(err, code_of(rc), "cannot close: %s", sqlite3_errstr(rc));
        }
    }
    free(q);
    return st;
}

/* ---------------------------------------------------------------- writes */

/* Bind a slice as text; an empty slice (or absent value) as NULL. */
static void bind_text(sqlite3_stmt *st, int i, dyad_slice s)
{
    if (s.len)
        sqlite3_bind_text(st, i, s.ptr, (int)s.len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_opt(sqlite3_stmt *st, int i, bool has, dyad_slice s)
{
    bind_text(st, i, has ? s : dyad__slice("", 0));
}

/* Step a write statement to its end and reset it. */
static int run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int write_rows(sq *q, const dyad__sarticle *a)
{
    int rc;
    sqlite3_stmt *st;
    for (size_t i = 0; i < a->nsents; i++) {
        st = q->st[ST_SENT];
        bind_text(st, 1, a->id);
        sqlite3_bind_int64(st, 2, a->sents[i].idx);
        sqlite3_bind_text(st, 3, a->sents[i].text.ptr, (int)a->sents[i].text.len,
                          SQLITE_STATIC);
        if ((rc = run(st)))
            return rc;
    }
    st = q->st[ST_EVENT];
    for (size_t i = 0; i < a->nevents; i++) {
        const dyad__sevent *e = &a->events[i];
        bind_text(st, 1, a->id);
        sqlite3_bind_int64(st, 2, e->sentence);
        bind_text(st, 3, e->date);
        sqlite3_bind_text(st, 4, e->day, 10, SQLITE_STATIC);
        bind_opt(st, 5, e->has_source, e->source);
        bind_opt(st, 6, e->has_source, e->source_text);
        bind_opt(st, 7, e->has_target, e->target);
        bind_opt(st, 8, e->has_target, e->target_text);
        bind_text(st, 9, e->code);
        bind_text(st, 10, e->root);
        sqlite3_bind_int(st, 11, e->quad);
        sqlite3_bind_double(st, 12, e->goldstein);
        bind_opt(st, 13, e->has_location, e->location);
        bind_opt(st, 14, e->has_location, e->country);
        bind_text(st, 15, e->verb);
        sqlite3_bind_int64(st, 16, e->verb_start);
        sqlite3_bind_int64(st, 17, e->verb_end);
        bind_text(st, 18, e->pattern);
        bind_text(st, 19, e->dictionary);
        sqlite3_bind_int64(st, 20, e->line);
        sqlite3_bind_int64(st, 21, e->flags);
        if ((rc = run(st)))
            return rc;
    }
    st = q->st[ST_QUOTE];
    for (size_t i = 0; i < a->nquotes; i++) {
        const dyad__squote *x = &a->quotes[i];
        bind_text(st, 1, a->id);
        sqlite3_bind_int64(st, 2, x->sentence);
        bind_opt(st, 3, x->has_speaker, x->speaker);
        bind_opt(st, 4, x->has_speaker, x->speaker_text);
        sqlite3_bind_text(st, 5, x->text.ptr ? x->text.ptr : "", (int)x->text.len,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, x->start);
        sqlite3_bind_int64(st, 7, x->end);
        if ((rc = run(st)))
            return rc;
    }
    return SQLITE_OK;
}

static int write_article(sq *q, const dyad__sarticle *a)
{
    int rc;
    sqlite3_stmt *st = NULL;
    if (a->mode == DYAD__WRITE_META || a->mode == DYAD__WRITE_FULL) {
        st = q->st[a->mode == DYAD__WRITE_META ? ST_ART_META : ST_ART_FULL];
        bind_text(st, 1, a->id);
        bind_text(st, 2, a->date);
        bind_text(st, 3, a->title);
        bind_text(st, 4, a->url);
        bind_text(st, 5, a->source);
        bind_text(st, 6, a->text);
        if (a->mode == DYAD__WRITE_META)
            return run(st);
    }
    /* replace the article's content: delete what an earlier write stored */
    sqlite3_stmt *ex = q->st[ST_EXISTS];
    bind_text(ex, 1, a->id);
    rc = sqlite3_step(ex);
    sqlite3_reset(ex);
    if (rc == SQLITE_ROW) {   /* the sentences go when the batch ends (unstage_sql) */
        for (int k = ST_DEL_EVENTS; k <= ST_REPLACED; k++) {
            bind_text(q->st[k], 1, a->id);
            if ((rc = run(q->st[k])))
                return rc;
        }
    } else if (rc != SQLITE_DONE) {
        return rc;
    }
    if (a->mode == DYAD__WRITE_CONTENT) {
        st = q->st[ST_ART_CONTENT];
        bind_text(st, 1, a->id);
    }
    if ((rc = run(st)))
        return rc;
    return write_rows(q, a);
}

static dyad_status sq_write(void *impl, const dyad__sarticle *a, dyad_error *err)
{
    sq *q = impl;
    int rc;
    if (q->readonly)
        return dyad__fail(err, DYAD_EINVAL, "the store is open read-only");
    if (!q->in_txn) {
        if ((rc = exec(q, "BEGIN IMMEDIATE")))
            return db_fail(q, err, rc, "cannot begin a transaction");
        q->in_txn = true;
        q->in_batch = 0;
    }
    rc = write_article(q, a);
    if (rc != SQLITE_OK) {
        dyad_status st = db_fail(q, err, rc, "cannot store an article");
        if (err)
            snprintf(err->record, sizeof err->record, "%.*s",
                     (int)(a->id.len < 127 ? a->id.len : 127), a->id.ptr);
        exec(q, "ROLLBACK");
        q->in_txn = false;
        return st;
    }
    if (++q->in_batch >= q->batch)
        return sq_flush(q, err);
    return DYAD_OK;
}

/* ---------------------------------------------------------------- running queries */

/* A statement built from fixed fragments; every value is a bound parameter. */
typedef struct qb {
    char sql[4096];
    size_t len;
    bool overflow;
    struct {
        bool is_int;
        int64_t i;
        const char *s;
    } bind[48];
    int nbind;
    char hi[16][48];     /* upper bounds of prefix ranges */
    int nhi;
} qb;

static void qb_sql(qb *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n >= sizeof b->sql) {
        b->overflow = true;
        return;
    }
    memcpy(b->sql + b->len, s, n + 1);
    b->len += n;
}

static void qb_param(qb *b, bool is_int, int64_t i, const char *s)
{
    if (b->nbind == (int)(sizeof b->bind / sizeof *b->bind)) {
        b->overflow = true;
        return;
    }
    b->bind[b->nbind].is_int = is_int;
    b->bind[b->nbind].i = i;
    b->bind[b->nbind].s = s;
    b->nbind++;
    char tmp[16];
    snprintf(tmp, sizeof tmp, "?%d", b->nbind);
    qb_sql(b, tmp);
}

static void qb_text(qb *b, const char *s)
{
    qb_param(b, false, 0, s);
}

static void qb_int(qb *b, int64_t i)
{
    qb_param(b, true, i, NULL);
}

/* " AND col >= P AND col < P~": col starts with the prefix P (codes are letters and digits,
 * which all sort before '~'). */
static void qb_prefix(qb *b, const char *col, const char *prefix)
{
    if (b->nhi == 16) {
        b->overflow = true;
        return;
    }
    char *hi = b->hi[b->nhi++];
    snprintf(hi, 48, "%s~", prefix);
    qb_sql(b, " AND ");
    qb_sql(b, col);
    qb_sql(b, " >= ");
    qb_text(b, prefix);
    qb_sql(b, " AND ");
    qb_sql(b, col);
    qb_sql(b, " < ");
    qb_text(b, hi);
}

/* The filters on dates, code and QuadClass (the actors are left to the caller). */
static void qb_common(qb *b, const dyad__squery *q)
{
    if (q->from[0]) {
        qb_sql(b, " AND e.day >= ");
        qb_text(b, q->from);
    }
    if (q->to[0]) {
        qb_sql(b, " AND e.day <= ");
        qb_text(b, q->to);
    }
    if (q->code[0])
        qb_prefix(b, "e.code", q->code);
    if (q->quad) {
        qb_sql(b, " AND e.quad = ");
        qb_int(b, q->quad);
    }
}

static void qb_actors(qb *b, const dyad__squery *q)
{
    if (q->source[0])
        qb_prefix(b, "e.source", q->source);
    if (q->target[0])
        qb_prefix(b, "e.target", q->target);
}

static void qb_limit(qb *b, size_t limit)
{
    qb_sql(b, " LIMIT ");
    qb_int(b, limit ? (int64_t)limit : -1);
}

/* Prepare, bind and run b, passing every row to fn.  A statement that does not prepare is
 * the caller's mistake (DYAD_EINVAL); a failure while running is DYAD_EIO. */
static dyad_status run_rows(sq *q, sqlite3_stmt *st, dyad_row_fn fn, void *ctx, dyad_error *err)
{
    int ncols = sqlite3_column_count(st);
    const char *names[64];
    dyad_value vals[64];
    if (ncols > 64)
        ncols = 64;
    for (int i = 0; i < ncols; i++)
        names[i] = sqlite3_column_name(st, i);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn)
            continue;
        for (int i = 0; i < ncols; i++) {
            dyad_value *v = &vals[i];
            memset(v, 0, sizeof *v);
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                v->type = DYAD_VALUE_INT;
                v->i = sqlite3_column_int64(st, i);
                break;
            case SQLITE_FLOAT:
                v->type = DYAD_VALUE_REAL;
                v->r = sqlite3_column_double(st, i);
                break;
            case SQLITE_NULL:
                v->s = dyad__slice("", 0);
                break;
            default:
                v->type = DYAD_VALUE_TEXT;
                v->s.ptr = (const char *)sqlite3_column_text(st, i);
                v->s.len = (size_t)sqlite3_column_bytes(st, i);
                if (!v->s.ptr)
                    v->s = dyad__slice("", 0);
            }
        }
        if (fn(ctx, (size_t)ncols, names, vals))
            return DYAD_OK;
    }
    if (rc != SQLITE_DONE)
        return db_fail(q, err, rc, "query failed");
    return DYAD_OK;
}

static dyad_status run_qb(sq *q, qb *b, dyad_row_fn fn, void *ctx, dyad_error *err)
{
    if (b->overflow)
        return dyad__fail(err, DYAD_ELIMIT, "query too long");
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(q->db, b->sql, (int)b->len, &st, NULL);
    if (rc != SQLITE_OK)
        return db_fail(q, err, rc, "cannot prepare a query");
    for (int i = 0; i < b->nbind; i++) {
        if (b->bind[i].is_int)
            sqlite3_bind_int64(st, i + 1, b->bind[i].i);
        else
            sqlite3_bind_text(st, i + 1, b->bind[i].s, -1, SQLITE_STATIC);
    }
    dyad_status s = run_rows(q, st, fn, ctx, err);
    sqlite3_finalize(st);
    return s;
}

/* ---------------------------------------------------------------- the queries */

/* One direction of the dyad: events from a to c; for the second direction (dir 1) not those
 * the first already counts (when the two actors overlap, e.g. RUS and RUSGOV). */
static void dyad_branch(qb *b, const dyad__squery *q, int dir, const char *a, const char *c)
{
    if (q->one_a_day)
        qb_sql(b, "SELECT e.day AS day, MIN(e.quad) AS quad, MIN(e.goldstein) AS goldstein, ");
    else
        qb_sql(b, "SELECT e.day AS day, e.quad AS quad, e.goldstein AS goldstein, ");
    qb_sql(b, dir ? "1 AS dir" : "0 AS dir");
    qb_sql(b, " FROM events e WHERE 1");
    qb_prefix(b, "e.source", a);
    qb_prefix(b, "e.target", c);
    if (dir) {   /* with overlapping actors an event is counted in the first direction only */
        qb_sql(b, " AND NOT (1");
        qb_prefix(b, "e.source", c);
        qb_prefix(b, "e.target", a);
        qb_sql(b, ")");
    }
    qb_common(b, q);
    if (q->one_a_day)
        qb_sql(b, " GROUP BY e.day, e.source, e.target, e.code");
}

static dyad_status sq_dyad(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                           dyad_error *err)
{
    qb b = {0};
    int n = q->by == DYAD_BY_DAY ? 10 : q->by == DYAD_BY_MONTH ? 7 : 4;
    char head[160];
    snprintf(head, sizeof head,
             "SELECT substr(day, 1, %d) AS period, dir, COUNT(*), SUM(quad = 1), SUM(quad = 2),"
             " SUM(quad = 3), SUM(quad = 4), TOTAL(goldstein) FROM (", n);
    qb_sql(&b, head);
    dyad_branch(&b, q, 0, q->source, q->target);
    qb_sql(&b, " UNION ALL ");
    dyad_branch(&b, q, 1, q->target, q->source);
    qb_sql(&b, ") GROUP BY period, dir ORDER BY period, dir");
    return run_qb(impl, &b, fn, ctx, err);
}

/* One side of the actors query: counts per source (or target) code, read in the order of
 * that side's index (with no code or QuadClass filter the index alone answers). */
static void actors_side(qb *b, const dyad__squery *q, const char *col)
{
    bool src = strcmp(col, "e.source") == 0;
    qb_sql(b, "SELECT ");
    qb_sql(b, col);
    qb_sql(b, src ? " AS actor, COUNT(*) AS s, 0 AS t" : " AS actor, 0 AS s, COUNT(*) AS t");
    qb_sql(b, " FROM events e WHERE ");
    qb_sql(b, col);
    qb_sql(b, " IS NOT NULL");
    qb_actors(b, q);
    qb_common(b, q);
    qb_sql(b, " GROUP BY ");
    qb_sql(b, col);
}

static dyad_status sq_actors(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                             dyad_error *err)
{
    qb b = {0};
    if (q->one_a_day) {
        qb_sql(&b, "WITH base AS (SELECT e.source AS source, e.target AS target FROM events e"
                   " WHERE 1");
        qb_actors(&b, q);
        qb_common(&b, q);
        qb_sql(&b, " GROUP BY e.day, e.source, e.target, e.code), sides AS ("
                   "SELECT source AS actor, COUNT(*) AS s, 0 AS t FROM base"
                   " WHERE source IS NOT NULL GROUP BY source UNION ALL"
                   " SELECT target, 0, COUNT(*) FROM base WHERE target IS NOT NULL"
                   " GROUP BY target)");
    } else {
        qb_sql(&b, "WITH sides AS (");
        actors_side(&b, q, "e.source");
        qb_sql(&b, " UNION ALL ");
        actors_side(&b, q, "e.target");
        qb_sql(&b, ")");
    }
    qb_sql(&b, q->by_country ? " SELECT substr(actor, 1, 3) AS actor" : " SELECT actor");
    qb_sql(&b, ", SUM(s) AS as_source, SUM(t) AS as_target, SUM(s) + SUM(t) AS total"
               " FROM sides GROUP BY 1 ORDER BY total DESC, actor");
    qb_limit(&b, q->limit);
    return run_qb(impl, &b, fn, ctx, err);
}

static dyad_status sq_events(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                             dyad_error *err)
{
    qb b = {0};
    if (q->one_a_day) {
        qb_sql(&b, "SELECT e.day AS date, e.source AS source, e.target AS target,"
                   " e.code AS code, MIN(e.quad) AS quad, MIN(e.goldstein) AS goldstein,"
                   " COUNT(*) AS num_mentions,"
                   " COUNT(DISTINCT COALESCE(NULLIF(a.source, ''), 'article:' || e.article))"
                   " AS num_sources, COUNT(DISTINCT e.article) AS num_articles"
                   " FROM events e LEFT JOIN articles a ON a.id = e.article WHERE 1");
        qb_actors(&b, q);
        qb_common(&b, q);
        qb_sql(&b, " GROUP BY e.day, e.source, e.target, e.code"
                   " ORDER BY e.day, e.source, e.target, e.code");
    } else {
        qb_sql(&b, "SELECT e.date AS date, e.source AS source, e.source_text AS source_text,"
                   " e.target AS target, e.target_text AS target_text, e.code AS code,"
                   " e.quad AS quad, e.goldstein AS goldstein, e.location AS location,"
                   " e.country AS country, e.article AS article, e.sentence AS sentence,"
                   " e.verb AS verb FROM events e WHERE 1");
        qb_actors(&b, q);
        qb_common(&b, q);
        qb_sql(&b, " ORDER BY e.day, e.article, e.sentence, e.id");
    }
    qb_limit(&b, q->limit);
    return run_qb(impl, &b, fn, ctx, err);
}

/* Words to an FTS5 query: each word a quoted string (all must occur), '*' at its end kept as
 * the prefix mark. */
static char *fts_words(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(3 * n + 4);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        size_t len = (size_t)(p - w);
        bool prefix = len > 1 && w[len - 1] == '*';
        if (prefix)
            len--;
        if (o)
            out[o++] = ' ';
        out[o++] = '"';
        for (size_t i = 0; i < len; i++) {
            if (w[i] == '"')
                out[o++] = '"';
            out[o++] = w[i];
        }
        out[o++] = '"';
        if (prefix)
            out[o++] = '*';
    }
    out[o] = '\0';
    return out;
}

static dyad_status sq_search(void *impl, const dyad__squery *q, dyad_row_fn fn, void *ctx,
                             dyad_error *err)
{
    char *words = q->raw_text ? NULL : fts_words(q->text);
    if (!q->raw_text && !words)
        return dyad__fail(err, DYAD_ENOMEM, "out of memory");
    qb b = {0};
    qb_sql(&b, "SELECT s.article AS article, s.idx AS sentence, s.text AS text,"
               " e.date AS event_date, e.source AS source, e.target AS target, e.code AS code,"
               " e.quad AS quad, e.goldstein AS goldstein"
               " FROM (SELECT rowid AS rid FROM sentences_fts WHERE sentences_fts MATCH ");
    qb_text(&b, q->raw_text ? q->text : words);
    qb_sql(&b, " ORDER BY rank");
    qb_limit(&b, q->limit);
    qb_sql(&b, ") h JOIN sentences s ON s.id = h.rid"
               " LEFT JOIN events e ON e.article = s.article AND e.sentence = s.idx"
               " ORDER BY s.article, s.idx, e.id");
    dyad_status st = run_qb(impl, &b, fn, ctx, err);
    sq *sqi = impl;
    if (st == DYAD_EIO && sqlite3_errcode(sqi->db) == SQLITE_ERROR)   /* the query's syntax */
        st = dyad__fail(err, DYAD_EINVAL, "search: %s", sqlite3_errmsg(sqi->db));
    free(words);
    return st;
}

static dyad_status sq_sql(void *impl, const char *sql, const char *const *params,
                          size_t nparams, dyad_row_fn fn, void *ctx, dyad_error *err)
{
    sq *q = impl;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, &tail);
    if (rc != SQLITE_OK) {
        dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EINVAL, "%s", sqlite3_errmsg(q->db));
    }
    while (tail && (*tail == ' ' || *tail == '\t' || *tail == '\n' || *tail == '\r' ||
                    *tail == ';'))
        tail++;
    dyad_status s = DYAD_OK;
    if (!st)
        s = dyad__fail(err, DYAD_EINVAL, "no statement");
    else if (tail && *tail)
        s = dyad__fail(err, DYAD_EINVAL, "one statement at a time");
    else if (q->readonly && !sqlite3_stmt_readonly(st))
        s = dyad__fail(err, DYAD_EINVAL, "the store is open read-only: the statement writes");
    else if ((int)nparams != sqlite3_bind_parameter_count(st))
        s = dyad__fail(err, DYAD_EINVAL, "the statement takes %d parameters, %zu given",
                       sqlite3_bind_parameter_count(st), nparams);
    if (s) {
        sqlite3_finalize(st);
        return s;
    }
    for (size_t i = 0; i < nparams; i++)
        sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_STATIC);
    s = run_rows(q, st, fn, ctx, err);
    sqlite3_finalize(st);
    return s;
}

const dyad__store_backend dyad__store_sqlite = {
    "sqlite", sq_write, sq_flush, sq_dyad, sq_actors, sq_events, sq_search, sq_sql, sq_close,
};
