/* store_sqlite.c - the SQLite backend of the event store: schema, batched writes, queries. */
#include "store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <sys/stat.h>

/* PRAGMA application_id of a dyad database: the bytes "dyad". */
#define DYAD_SQLITE_APP_ID 0x64796164

/* The schema version of the databases dyad creates (PRAGMA user_version, docs/store.md).
 * Databases of version 1, whose unique keys are constraints of the tables articles
 * (id TEXT PRIMARY KEY) and sentences (UNIQUE(article, idx)), are read and written as they
 * are; version 2 has the same tables with those keys as unique indexes (articles_id,
 * sentences_article), so that a first load builds them at its end like the others. */
#define DYAD_SQLITE_SCHEMA 2
#define DYAD_SQLITE_SCHEMA_OLDEST 1

/* The schema, version DYAD_SQLITE_SCHEMA: the tables and views, run once on an empty
 * database; the indexes and the triggers that keep the full-text index in step with the
 * sentences follow in finish_schema.  A new database is loaded without them (see "bulk"
 * below) and gets them when its first load ends. */
static const char schema_sql[] =
    "CREATE TABLE articles(\n"
    "  id TEXT NOT NULL,\n"
    "  date TEXT, title TEXT, url TEXT, source TEXT, text TEXT);\n"
    "CREATE TABLE sentences(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article TEXT NOT NULL,\n"
    "  idx INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL);\n"
    "CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences',\n"
    "  content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');\n"
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
    "CREATE TABLE quotes(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article TEXT NOT NULL,\n"
    "  sentence INTEGER NOT NULL,\n"
    "  speaker TEXT, speaker_text TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  text_start INTEGER NOT NULL, text_end INTEGER NOT NULL);\n"
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

/* The rest of the schema, which a first load leaves out until it ends (finish_schema): the
 * indexes (with the unique keys of version 2: the upserts of the articles need articles_id),
 * the full-text index filled from the sentences table in one pass, and the triggers that keep
 * it in step from then on. */
#define UNIQUE_SQL \
    "CREATE UNIQUE INDEX IF NOT EXISTS articles_id ON articles(id);\n" \
    "CREATE UNIQUE INDEX IF NOT EXISTS sentences_article ON sentences(article, idx);\n"
#define INDEX_SQL \
    "CREATE INDEX IF NOT EXISTS events_article ON events(article, sentence);\n" \
    "CREATE INDEX IF NOT EXISTS events_source ON events(source, day);\n" \
    "CREATE INDEX IF NOT EXISTS events_target ON events(target, day);\n" \
    "CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article, sentence);\n"
#define REBUILD_SQL "INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');\n"
#define TRIGGER_SQL \
    "CREATE TRIGGER IF NOT EXISTS sentences_ai AFTER INSERT ON sentences BEGIN\n" \
    "  INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END;\n" \
    "CREATE TRIGGER IF NOT EXISTS sentences_ad AFTER DELETE ON sentences BEGIN\n" \
    "  INSERT INTO sentences_fts(sentences_fts, rowid, text)\n" \
    "    VALUES ('delete', old.id, old.text);\n" \
    "  END;\n" \
    "CREATE TRIGGER IF NOT EXISTS sentences_au AFTER UPDATE ON sentences BEGIN\n" \
    "  INSERT INTO sentences_fts(sentences_fts, rowid, text)\n" \
    "    VALUES ('delete', old.id, old.text);\n" \
    "  INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text); END;\n"

static const char index_sql[] = UNIQUE_SQL INDEX_SQL;
static const char index_sql_v1[] = INDEX_SQL;
static const char rebuild_sql[] = REBUILD_SQL TRIGGER_SQL;
static const char trigger_sql[] = TRIGGER_SQL;

/* The page cache of a connection that writes, and the one it has while it builds indexes:
 * SQLite sorts the keys of a new index in runs the size of the page cache, written to
 * temporary files and merged.  Runs of 1 MiB are sorted within the processor's caches and
 * cost about a third of the CPU time of one run of the whole index (most comparisons of
 * events_source and events_target go on past their first column). */
#define CACHE_SQL "PRAGMA cache_size = -65536"
#define SORT_CACHE_SQL "PRAGMA cache_size = -1024"

/* At the end of a first load the full-text index is built while the indexes are: by a
 * second connection, from the sentences as committed, in a private database ("build", in
 * memory, or in a temporary file for more than FTS_IN_MEMORY sentences) with the same
 * tokenizer; its rows are then copied into the shadow tables of sentences_fts
 * (docs/store.md). */
#define FTS_IN_MEMORY 4000000
static const char fts_build_sql[] =
    "PRAGMA build.journal_mode = OFF;\n"
    "PRAGMA build.synchronous = OFF;\n"
    "PRAGMA build.cache_size = -65536;\n"
    "CREATE VIRTUAL TABLE build.sentences_fts USING fts5(text, content='',\n"
    "  tokenize='porter unicode61 remove_diacritics 2');\n"
    "INSERT INTO build.sentences_fts(rowid, text) SELECT id, text FROM main.sentences;\n";

static const char fts_copy_sql[] =
    "DELETE FROM main.sentences_fts_data;\n"
    "DELETE FROM main.sentences_fts_idx;\n"
    "DELETE FROM main.sentences_fts_docsize;\n"
    "INSERT INTO main.sentences_fts_data(id, block)\n"
    "  SELECT id, block FROM build.sentences_fts_data;\n"
    "INSERT INTO main.sentences_fts_idx(segid, term, pgno)\n"
    "  SELECT segid, term, pgno FROM build.sentences_fts_idx;\n"
    "INSERT INTO main.sentences_fts_docsize(id, sz)\n"
    "  SELECT id, sz FROM build.sentences_fts_docsize;\n";

/* How many of finish_schema's objects the database has: FINISHED when it is complete
 * (FINISHED_V1 for a database of version 1, which has no articles_id or sentences_article). */
static const char finished_sql[] =
    "SELECT count(*) FROM sqlite_master WHERE name IN ('articles_id', 'sentences_article',"
    " 'events_article', 'events_source', 'events_target', 'quotes_article', 'sentences_ai',"
    " 'sentences_ad', 'sentences_au')";
#define FINISHED 9
#define FINISHED_V1 7

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

/* The statements of the writes.  ST_ART_FULL, ST_ART_CONTENT and ST_ART_META need the unique
 * index of the articles' ids (an upsert names its key), so a first load prepares them only
 * when it ends (stmt); until then it writes articles with the ST_ART_BULK_* statements. */
enum {
    ST_EXISTS, ST_DEL_EVENTS, ST_DEL_QUOTES, ST_DEL_STAGED, ST_REPLACED, ST_ART_FULL,
    ST_ART_CONTENT, ST_ART_META, ST_SENT, ST_SENT_BULK, ST_EVENT, ST_QUOTE, ST_DATA_VERSION,
    ST_ART_BULK_NEW, ST_ART_BULK_IS, ST_ART_BULK_META, ST_COUNT
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
    "INSERT INTO sentences(article, idx, text) VALUES (?1, ?2, ?3)",
    "INSERT INTO events(article, sentence, date, day, source, source_text, target, target_text,"
    " code, root, quad, goldstein, location, country, verb, verb_start, verb_end, pattern,"
    " dictionary, line, flags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    "INSERT INTO quotes(article, sentence, speaker, speaker_text, text, text_start, text_end)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "PRAGMA data_version",
    "INSERT INTO articles(id, date, title, url, source, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT 1 FROM articles WHERE rowid = ?1 AND id = ?2",
    "UPDATE articles SET date = coalesce(?2, date), title = coalesce(?3, title),"
    " url = coalesce(?4, url), source = coalesce(?5, source), text = coalesce(?6, text)"
    " WHERE rowid = ?7 AND id = ?1",
};

static bool needs_unique_index(int i)
{
    return i == ST_ART_FULL || i == ST_ART_CONTENT || i == ST_ART_META;
}

/* A first load.  Records loaded into a database this handle created are written without
 * the indexes and the full-text index (finish_schema builds them when the load ends), and
 * without looking for an earlier copy of each article: the handle remembers (by a 64-bit
 * hash) the articles it wrote, and an article seen again, a coded document, or a commit by
 * another connection (PRAGMA data_version) ends the first load early, after which every
 * write takes the usual path. */
typedef struct sq_bulk {
    bool on;                   /* the caller's side: articles are still claimed */
    int64_t data_version;      /* as read when the schema was created */
    uint64_t *ids;             /* open addressing; 0 is an empty slot */
    size_t nids, cap;          /* cap: 0 or a power of two */
} sq_bulk;

/* The writer's side of a first load: the articles rows it wrote, by the hash of their id (a
 * hash is checked against the row), so that an article line for an id already written
 * updates its row without the unique index. */
typedef struct sq_row {
    uint64_t hash;             /* 0: an empty slot */
    int64_t rowid;
} sq_row;

typedef struct sq_rows {
    sq_row *slots;             /* open addressing */
    size_t n, cap;             /* cap: 0 or a power of two */
} sq_rows;

/* A batch of articles on its way to the database, copied so that the caller can go on
 * reading records while the writer thread stores the batch before (one transaction each). */
typedef struct sq_batch {
    dyad_arena arena;          /* the strings and rows of the articles */
    dyad__sarticle *arts;
    size_t n, cap;
    bool bulk;                 /* part of the first load */
} sq_batch;

typedef struct sq {
    sqlite3 *db;               /* used by the writer thread while it writes, else the caller */
    char path[256];
    bool readonly;
    int version;               /* PRAGMA user_version */
    size_t batch;              /* articles per transaction */
    sqlite3_stmt *st[ST_COUNT];
    sq_bulk bulk;
    bool w_bulk;               /* the writer's side: the schema lacks finish_schema's objects */
    sq_rows rows;              /* the writer's side of the first load */
    bool sync_off;             /* synchronous = OFF until the first load ends */
    sqlite3 *fts;              /* the end of a first load: builds the full-text index */
    sqlite3 *ckpt;             /* a first load: copies the WAL into the database */

    sq_batch batches[2];       /* the caller fills batches[fill]; the writer writes the other */
    int fill;
    bool threaded;             /* the writer thread runs (else batches are written in place) */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool busy;                 /* the writer has a batch (under mu) */
    bool job_index;            /* ... or is to build the indexes (under mu) */
    bool stop;                 /* the writer is to end (under mu) */
    dyad_status w_status;      /* the first failure of a write (under mu; stays) */
    dyad_error w_err;
    bool w_reported;           /* the caller has been told of it */
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

/* Build the indexes (index_sql), sorting in small runs (SORT_CACHE_SQL).  On failure the
 * page cache stays small, so that the connection's message names the failure. */
static int build_indexes(sq *q)
{
    exec(q, SORT_CACHE_SQL);
    int rc = exec(q, q->version >= 2 ? index_sql : index_sql_v1);
    if (rc == SQLITE_OK)
        exec(q, CACHE_SQL);
    return rc;
}

/* Complete the schema of a first load in one go: the indexes, the full-text index rebuilt
 * from the sentences, the triggers. */
static int finish_schema(sq *q)
{
    int rc = build_indexes(q);
    return rc == SQLITE_OK ? exec(q, rebuild_sql) : rc;
}

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
static void *writer_main(void *arg);
static void fts_close(sq *q);
static void ckpt_open(sq *q);
static void ckpt_close(sq *q);

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
                 DYAD_SQLITE_APP_ID, DYAD_SQLITE_SCHEMA);
        if ((rc = exec(q, "PRAGMA page_size = 16384")) ||
            (rc = exec(q, "PRAGMA journal_mode = WAL")) || (rc = exec(q, "BEGIN IMMEDIATE")))
            return db_fail(q, err, rc, "cannot create the schema");
        int version_now = 0;
        if ((rc = exec(q, schema_sql)) || (rc = exec(q, set)) ||
            (rc = pragma_int(q, "PRAGMA data_version", &version_now)) ||
            (rc = exec(q, "COMMIT"))) {
            dyad_status st = db_fail(q, err, rc, "cannot create the schema");
            exec(q, "ROLLBACK");
            return st;
        }
        q->bulk.on = true;
        q->bulk.data_version = version_now;
        q->version = DYAD_SQLITE_SCHEMA;
        return DYAD_OK;
    }
    if (app != DYAD_SQLITE_APP_ID) {
        dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EFORMAT, "not a dyad database (an SQLite database of "
                                             "another program)");
    }
    if (version < DYAD_SQLITE_SCHEMA_OLDEST || version > DYAD_SQLITE_SCHEMA) {
        dyad__where(err, q->path, 0, 0, dyad__slice("", 0));
        return dyad__fail(err, DYAD_EVERSION,
                          "database schema version %d; this dyad reads versions %d to %d "
                          "(see docs/store.md)", version, DYAD_SQLITE_SCHEMA_OLDEST,
                          DYAD_SQLITE_SCHEMA);
    }
    q->version = version;
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
    exec(q, CACHE_SQL);
    /* temporary data in memory would keep index builds from sorting in runs (SORT_CACHE_SQL) */
    exec(q, q->readonly ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = FILE");
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
        int have = 0;
        if (!q->bulk.on && (rc = pragma_int(q, finished_sql, &have)) == SQLITE_OK &&
            have < (q->version >= 2 ? FINISHED : FINISHED_V1)) {
            /* a first load that was interrupted: build what it left for its end */
            if ((rc = exec(q, "BEGIN IMMEDIATE")) == SQLITE_OK) {
                if ((rc = finish_schema(q)) == SQLITE_OK)
                    rc = exec(q, "COMMIT");
                else
                    exec(q, "ROLLBACK");
            }
        }
        if (rc != SQLITE_OK) {
            st = db_fail(q, err, rc, "cannot finish the indexes of an interrupted first load");
            goto fail;
        }
        for (int i = 0; i < ST_COUNT; i++) {
            if (q->bulk.on && needs_unique_index(i))
                continue;   /* prepared when the first load ends (stmt) */
            rc = sqlite3_prepare_v3(q->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i],
                                    NULL);
            if (rc != SQLITE_OK) {
                st = db_fail(q, err, rc, "cannot prepare the writes");
                goto fail;
            }
        }
        q->w_bulk = q->bulk.on;
        if (q->bulk.on && !(opts->flags & DYAD_STORE_SAFE)) {
            q->sync_off = exec(q, "PRAGMA synchronous = OFF") == SQLITE_OK;
            ckpt_open(q);
        }
        for (int i = 0; i < 2; i++)
            dyad__arena_init(&q->batches[i].arena);
        if (pthread_mutex_init(&q->mu, NULL) == 0) {
            if (pthread_cond_init(&q->cv, NULL) == 0) {
                q->threaded = pthread_create(&q->thread, NULL, writer_main, q) == 0;
                if (!q->threaded)
                    pthread_cond_destroy(&q->cv);
            }
            if (!q->threaded)
                pthread_mutex_destroy(&q->mu);
        }
    }
    *impl = q;
    return DYAD_OK;
fail:
    sq_close(q, NULL);
    return st;
}

/* ---------------------------------------------------------------- the first load */

static uint64_t id_hash(dyad_slice id)
{
    uint64_t h = 0xcbf29ce484222325u;   /* FNV-1a, then a final mix */
    for (size_t i = 0; i < id.len; i++)
        h = (h ^ (unsigned char)id.ptr[i]) * 0x100000001b3u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h ? h : 1;
}

/* Remember that the article id is written; false when it may have been written before (or
 * memory ran out), and the first load must end. */
static bool bulk_claim(sq *q, dyad_slice id)
{
    sq_bulk *b = &q->bulk;
    if (2 * (b->nids + 1) > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 4096;
        uint64_t *ids = calloc(cap, sizeof *ids);
        if (!ids)
            return false;
        for (size_t i = 0; i < b->cap; i++) {
            if (!b->ids[i])
                continue;
            size_t j = b->ids[i] & (cap - 1);
            while (ids[j])
                j = (j + 1) & (cap - 1);
            ids[j] = b->ids[i];
        }
        free(b->ids);
        b->ids = ids;
        b->cap = cap;
    }
    uint64_t h = id_hash(id);
    size_t j = h & (b->cap - 1);
    while (b->ids[j]) {
        if (b->ids[j] == h)
            return false;
        j = (j + 1) & (b->cap - 1);
    }
    b->ids[j] = h;
    b->nids++;
    return true;
}

/* The first load has ended (the caller's side). */
static void bulk_forget(sq *q)
{
    ckpt_close(q);
    q->bulk.on = false;
    free(q->bulk.ids);
    q->bulk.ids = NULL;
    q->bulk.nids = q->bulk.cap = 0;
}

/* The first load has ended (the writer's side). */
static void rows_forget(sq *q)
{
    free(q->rows.slots);
    q->rows.slots = NULL;
    q->rows.n = q->rows.cap = 0;
}

/* End the first load inside the open transaction: build the indexes and the full-text
 * index; from now on every write looks for the article it replaces. */
static int bulk_end(sq *q)
{
    int rc = finish_schema(q);
    if (rc == SQLITE_OK) {
        q->w_bulk = false;
        rows_forget(q);
    }
    return rc;
}

/* The first load has ended: commits wait for the disk again (docs/store.md). */
static void sync_on(sq *q)
{
    if (q->sync_off && exec(q, "PRAGMA synchronous = NORMAL") == SQLITE_OK)
        q->sync_off = false;
}

/* Has another connection written since the schema was created? */
static int bulk_disturbed(sq *q, bool *yes)
{
    sqlite3_stmt *st = q->st[ST_DATA_VERSION];
    int rc = sqlite3_step(st);
    *yes = rc != SQLITE_ROW || sqlite3_column_int64(st, 0) != q->bulk.data_version;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* While the writer writes the batches of a first load, the thread that reads the records
 * copies what they left in the WAL into the database (a passive checkpoint by a second
 * connection, after each batch it hands over), so that the writer's own checkpoints find
 * little left to copy. */
static void ckpt_open(sq *q)
{
    if (sqlite3_open_v2(q->path, &q->ckpt, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(q->ckpt, "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
        ckpt_close(q);
}

static void ckpt_close(sq *q)
{
    sqlite3_close(q->ckpt);
    q->ckpt = NULL;
}

/* ---------------------------------------------------------------- batches */

static dyad_slice dup_slice(sq_batch *b, dyad_slice s, bool *oom)
{
    if (!s.len)
        return dyad__slice("", 0);
    char *c = dyad__arena_strdup(&b->arena, s.ptr, s.len);
    if (!c) {
        *oom = true;
        return dyad__slice("", 0);
    }
    return dyad__slice(c, s.len);
}

static void *dup_rows(sq_batch *b, const void *rows, size_t n, size_t size, bool *oom)
{
    if (!n)
        return NULL;
    void *c = dyad__arena_alloc(&b->arena, n * size);
    if (!c) {
        *oom = true;
        return NULL;
    }
    memcpy(c, rows, n * size);
    return c;
}

/* Copy the article into the batch; false when memory ran out. */
static bool batch_add(sq_batch *b, const dyad__sarticle *a)
{
    if (DYAD_GROW(b->arts, b->cap, b->n + 1))
        return false;
    bool oom = false;
    dyad__sarticle *c = &b->arts[b->n];
    *c = *a;
    c->id = dup_slice(b, a->id, &oom);
    c->date = dup_slice(b, a->date, &oom);
    c->title = dup_slice(b, a->title, &oom);
    c->url = dup_slice(b, a->url, &oom);
    c->source = dup_slice(b, a->source, &oom);
    c->text = dup_slice(b, a->text, &oom);
    dyad__ssentence *se = dup_rows(b, a->sents, a->nsents, sizeof *se, &oom);
    dyad__sevent *ev = dup_rows(b, a->events, a->nevents, sizeof *ev, &oom);
    dyad__squote *qu = dup_rows(b, a->quotes, a->nquotes, sizeof *qu, &oom);
    if (oom)
        return false;
    for (size_t i = 0; i < a->nsents; i++)
        se[i].text = dup_slice(b, se[i].text, &oom);
    for (size_t i = 0; i < a->nevents; i++) {
        dyad__sevent *e = &ev[i];
        dyad_slice *str[] = {&e->date, &e->source, &e->source_text, &e->target,
                             &e->target_text, &e->code, &e->root, &e->location, &e->country,
                             &e->verb, &e->pattern, &e->dictionary};
        for (size_t k = 0; k < sizeof str / sizeof *str; k++)
            *str[k] = dup_slice(b, *str[k], &oom);
    }
    for (size_t i = 0; i < a->nquotes; i++) {
        qu[i].speaker = dup_slice(b, qu[i].speaker, &oom);
        qu[i].speaker_text = dup_slice(b, qu[i].speaker_text, &oom);
        qu[i].text = dup_slice(b, qu[i].text, &oom);
    }
    if (oom)
        return false;
    c->sents = se;
    c->events = ev;
    c->quotes = qu;
    b->n++;
    return true;
}

static void batch_reset(sq_batch *b)
{
    b->n = 0;
    dyad__arena_reset(&b->arena);
}

/* ---------------------------------------------------------------- writes */

/* The statement i, prepared the first time it is needed (needs_unique_index). */
static int stmt(sq *q, int i, sqlite3_stmt **out)
{
    int rc = SQLITE_OK;
    if (!q->st[i])
        rc = sqlite3_prepare_v3(q->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i],
                                NULL);
    *out = q->st[i];
    return rc;
}

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
        st = q->st[q->w_bulk ? ST_SENT_BULK : ST_SENT];
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

static void bind_meta(sqlite3_stmt *st, const dyad__sarticle *a)
{
    bind_text(st, 1, a->id);
    bind_text(st, 2, a->date);
    bind_text(st, 3, a->title);
    bind_text(st, 4, a->url);
    bind_text(st, 5, a->source);
    bind_text(st, 6, a->text);
}

/* The articles row of an article of the first load (a coded document ends the first load
 * before it, and an article's content comes once): inserted the first time its id comes,
 * else its metadata updated as ST_ART_META would. */
static int bulk_article(sq *q, const dyad__sarticle *a)
{
    sq_rows *r = &q->rows;
    if (2 * (r->n + 1) > r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 4096;
        sq_row *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return SQLITE_NOMEM;
        for (size_t i = 0; i < r->cap; i++) {
            if (!r->slots[i].hash)
                continue;
            size_t j = r->slots[i].hash & (cap - 1);
            while (slots[j].hash)
                j = (j + 1) & (cap - 1);
            slots[j] = r->slots[i];
        }
        free(r->slots);
        r->slots = slots;
        r->cap = cap;
    }
    uint64_t h = id_hash(a->id);
    size_t j = h & (r->cap - 1);
    int rc;
    sqlite3_stmt *st;
    for (; r->slots[j].hash; j = (j + 1) & (r->cap - 1)) {
        if (r->slots[j].hash != h)
            continue;
        st = q->st[ST_ART_BULK_IS];
        sqlite3_bind_int64(st, 1, r->slots[j].rowid);
        bind_text(st, 2, a->id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            continue;   /* another id of the same hash */
        if (rc != SQLITE_ROW)
            return rc;
        if (a->mode == DYAD__WRITE_CONTENT)
            return SQLITE_OK;   /* the metadata is kept */
        st = q->st[ST_ART_BULK_META];
        bind_meta(st, a);
        sqlite3_bind_int64(st, 7, r->slots[j].rowid);
        return run(st);
    }
    st = q->st[ST_ART_BULK_NEW];
    if (a->mode == DYAD__WRITE_CONTENT) {
        for (int i = 2; i <= 6; i++)
            sqlite3_bind_null(st, i);
        bind_text(st, 1, a->id);
    } else {
        bind_meta(st, a);
    }
    if ((rc = run(st)))
        return rc;
    r->slots[j].hash = h;
    r->slots[j].rowid = sqlite3_last_insert_rowid(q->db);
    r->n++;
    return SQLITE_OK;
}

static int write_article(sq *q, const dyad__sarticle *a)
{
    int rc;
    sqlite3_stmt *st = NULL;
    if (q->w_bulk && a->mode != DYAD__WRITE_FULL) {
        /* a first load: no unique index yet, no earlier content to delete */
        if ((rc = bulk_article(q, a)))
            return rc;
        return a->mode == DYAD__WRITE_META ? SQLITE_OK : write_rows(q, a);
    }
    if (a->mode == DYAD__WRITE_META || a->mode == DYAD__WRITE_FULL) {
        if ((rc = stmt(q, a->mode == DYAD__WRITE_META ? ST_ART_META : ST_ART_FULL, &st)))
            return rc;
        bind_meta(st, a);
        if (a->mode == DYAD__WRITE_META)
            return run(st);
    }
    /* replace the article's content: delete what an earlier write stored (a first load
     * knows there is none) */
    sqlite3_stmt *ex = q->st[ST_EXISTS];
    rc = SQLITE_DONE;
    if (!q->w_bulk) {
        bind_text(ex, 1, a->id);
        rc = sqlite3_step(ex);
        sqlite3_reset(ex);
    }
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
        if ((rc = stmt(q, ST_ART_CONTENT, &st)))
            return rc;
        bind_text(st, 1, a->id);
    }
    if ((rc = run(st)))
        return rc;
    return write_rows(q, a);
}

/* Write a batch in one transaction. */
static dyad_status write_batch(sq *q, const sq_batch *b, dyad_error *err)
{
    int rc = exec(q, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return db_fail(q, err, rc, "cannot begin a transaction");
    bool end = !b->bulk;
    if (q->w_bulk && (end || ((rc = bulk_disturbed(q, &end)) == SQLITE_OK && end)))
        rc = bulk_end(q);
    if (rc != SQLITE_OK) {
        dyad_status st = db_fail(q, err, rc, "cannot build the indexes");
        exec(q, "ROLLBACK");
        return st;
    }
    for (size_t i = 0; i < b->n; i++) {
        const dyad__sarticle *a = &b->arts[i];
        if ((rc = write_article(q, a)) != SQLITE_OK) {
            dyad_status st = db_fail(q, err, rc, "cannot store an article");
            if (err)
                snprintf(err->record, sizeof err->record, "%.*s",
                         (int)(a->id.len < 127 ? a->id.len : 127), a->id.ptr);
            exec(q, "ROLLBACK");
            return st;
        }
    }
    /* a batch of the first load stages nothing (and without the index sentences_article
     * the DELETE of unstage_sql would scan the sentences) */
    if (q->w_bulk || (rc = exec(q, unstage_sql)) == SQLITE_OK)
        rc = exec(q, "COMMIT");
    if (rc != SQLITE_OK) {
        dyad_status st = db_fail(q, err, rc, "cannot commit");
        exec(q, "ROLLBACK");
        return st;
    }
    if (!q->w_bulk)
        sync_on(q);
    return DYAD_OK;
}

/* Build the indexes of a first load, in one transaction. */
static dyad_status write_indexes(sq *q, dyad_error *err)
{
    int rc = exec(q, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK) {
        if ((rc = build_indexes(q)) == SQLITE_OK)
            rc = exec(q, "COMMIT");
        else
            exec(q, "ROLLBACK");
    }
    return rc == SQLITE_OK ? DYAD_OK : db_fail(q, err, rc, "cannot build the indexes");
}

static void *writer_main(void *arg)
{
    sq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->busy && !q->stop)
            pthread_cond_wait(&q->cv, &q->mu);
        if (!q->busy)
            break;
        const sq_batch *b = &q->batches[!q->fill];
        bool failed = q->w_status != DYAD_OK;   /* nothing is written after a failure */
        bool indexes = q->job_index;
        pthread_mutex_unlock(&q->mu);
        dyad_error e = {0};
        dyad_status st = failed ? DYAD_OK : indexes ? write_indexes(q, &e) : write_batch(q, b, &e);
        pthread_mutex_lock(&q->mu);
        q->job_index = false;
        if (st && !q->w_status) {
            q->w_status = st;
            q->w_err = e;
        }
        q->busy = false;
        pthread_cond_broadcast(&q->cv);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

/* Wait until the writer has no batch; its first failure, if any. */
static dyad_status writer_wait(sq *q, dyad_error *err)
{
    if (q->threaded) {
        pthread_mutex_lock(&q->mu);
        while (q->busy)
            pthread_cond_wait(&q->cv, &q->mu);
        pthread_mutex_unlock(&q->mu);
    }
    if (q->w_status) {
        if (err)
            *err = q->w_err;
        q->w_reported = true;
    }
    return q->w_status;
}

/* Hand the batch being filled to the writer, once it is done with the one before. */
static dyad_status submit(sq *q, dyad_error *err)
{
    sq_batch *b = &q->batches[q->fill];
    dyad_status st = writer_wait(q, err);
    if (st || !b->n)
        return st;
    if (!q->w_bulk)
        bulk_forget(q);   /* the writer ended the first load */
    b->bulk = q->bulk.on;
    if (!q->threaded) {
        st = write_batch(q, b, &q->w_err);
        if ((q->w_status = st)) {
            if (err)
                *err = q->w_err;
            q->w_reported = true;
        }
        batch_reset(b);
        return st;
    }
    pthread_mutex_lock(&q->mu);
    q->fill = !q->fill;
    q->busy = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    batch_reset(&q->batches[q->fill]);
    if (q->ckpt && q->bulk.on)
        sqlite3_wal_checkpoint_v2(q->ckpt, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return DYAD_OK;
}

static void fts_close(sq *q)
{
    sqlite3_close(q->fts);
    q->fts = NULL;
}

/* Build the full-text index of the sentences in a temporary database (fts_build_sql); false
 * when it cannot be done (the first load then ends with a 'rebuild'). */
static bool fts_build(sq *q)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_open_v2(q->path, &q->fts, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
            SQLITE_OK &&
        sqlite3_busy_timeout(q->fts, 10000) == SQLITE_OK &&
        sqlite3_exec(q->fts, "PRAGMA main.mmap_size = 268435456", NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(q->fts, "SELECT coalesce(max(id), 0) FROM sentences", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (n >= 0 &&
        sqlite3_exec(q->fts, n <= FTS_IN_MEMORY ? "ATTACH ':memory:' AS build"
                                                 : "ATTACH '' AS build", NULL, NULL, NULL) ==
            SQLITE_OK &&
        sqlite3_exec(q->fts, fts_build_sql, NULL, NULL, NULL) == SQLITE_OK)
        return true;
    fts_close(q);
    return false;
}

/* Copy the full-text index built by fts_build into sentences_fts. */
static bool fts_copy(sq *q)
{
    /* a commit of the first load: it waits for the disk only with --safe, and leaves the
     * copy of the WAL into the database to the writer's connection */
    if (q->sync_off)
        sqlite3_exec(q->fts, "PRAGMA main.synchronous = OFF", NULL, NULL, NULL);
    sqlite3_wal_autocheckpoint(q->fts, 0);
    if (sqlite3_exec(q->fts, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return false;
    if (sqlite3_exec(q->fts, fts_copy_sql, NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_exec(q->fts, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return true;
    sqlite3_exec(q->fts, "ROLLBACK", NULL, NULL, NULL);
    return false;
}

/* End the first load, once the writer has written every batch: the writer builds the
 * indexes while this thread builds the full-text index, which is then copied in (or, when
 * that fails, rebuilt), and the triggers are added. */
static dyad_status bulk_finish(sq *q, dyad_error *err)
{
    bulk_forget(q);
    dyad_status st;
    if (q->threaded) {
        pthread_mutex_lock(&q->mu);
        q->job_index = q->busy = true;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
    } else if ((st = write_indexes(q, err))) {
        return st;
    }
    bool built = fts_build(q);
    if ((st = writer_wait(q, err))) {
        fts_close(q);
        return st;
    }
    bool copied = built && fts_copy(q);
    fts_close(q);
    int rc = exec(q, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK) {
        if ((rc = copied ? exec(q, trigger_sql) : finish_schema(q)) == SQLITE_OK)
            rc = exec(q, "COMMIT");
        else
            exec(q, "ROLLBACK");
    }
    if (rc != SQLITE_OK)
        return db_fail(q, err, rc, "cannot build the full-text index");
    q->w_bulk = false;
    rows_forget(q);
    sync_on(q);
    return DYAD_OK;
}

static dyad_status sq_write(void *impl, const dyad__sarticle *a, dyad_error *err)
{
    sq *q = impl;
    if (q->readonly)
        return dyad__fail(err, DYAD_EINVAL, "the store is open read-only");
    dyad_status st;
    if (q->bulk.on && a->mode != DYAD__WRITE_META &&
        (a->mode == DYAD__WRITE_FULL || !bulk_claim(q, a->id))) {
        /* a coded document, or an article seen again: the first load ends before it */
        if ((st = submit(q, err)) || (st = writer_wait(q, err)))
            return st;
        if (q->w_bulk && (st = bulk_finish(q, err)))
            return st;
        bulk_forget(q);
    }
    sq_batch *b = &q->batches[q->fill];
    if (!batch_add(b, a))
        return dyad__fail(err, DYAD_ENOMEM, "out of memory storing an article");
    if (b->n >= q->batch)
        return submit(q, err);
    return DYAD_OK;
}

/* Write every batch; end the first load. */
static dyad_status sq_flush(void *impl, dyad_error *err)
{
    sq *q = impl;
    if (q->readonly)
        return DYAD_OK;
    dyad_status st = submit(q, err);
    if (!st)
        st = writer_wait(q, err);
    if (st || !q->w_bulk)
        return st;
    st = bulk_finish(q, err);
    return st;
}

static dyad_status sq_close(void *impl, dyad_error *err)
{
    sq *q = impl;
    if (!q)
        return DYAD_OK;
    bool told = q->w_reported;   /* a failure the caller knows of is not reported again */
    dyad_status st = q->db ? sq_flush(q, told ? NULL : err) : DYAD_OK;
    if (told)
        st = DYAD_OK;
    if (q->threaded) {
        pthread_mutex_lock(&q->mu);
        q->stop = true;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->thread, NULL);
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
    }
    for (int i = 0; i < 2; i++) {
        dyad__arena_free(&q->batches[i].arena);
        free(q->batches[i].arts);
    }
    fts_close(q);
    ckpt_close(q);
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(q->st[i]);
    free(q->bulk.ids);
    free(q->rows.slots);
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
