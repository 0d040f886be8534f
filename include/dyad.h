/* dyad.h - the public C API of dyad: news text in, CAMEO-coded political events out.
 *
 * Lifecycle
 * ---------
 *   Immutable, shared by all threads (open once, free once):
 *     dyad_model_open()  ... dyad_model_free()     tagger + parser model (mmap'd)
 *     dyad_dict_open()   ... dyad_dict_free()      dictionaries (compiled, mmap'd or cached)
 *
 *   Per thread (not shared; cheap to create):
 *     dyad_worker_new()  ... dyad_worker_free()    scratch space for the stages
 *     dyad_doc_new()     ... dyad_doc_free()       one document and its arena
 *
 *   Per input or output stream (one thread at a time):
 *     dyad_reader_open() ... dyad_reader_free()    text | JSONL | PETRARCH XML, plain/.gz/.zst
 *     dyad_writer_new()  ... dyad_writer_free()    JSONL | TSV | table | GDELT | PETRARCH
 *     dyad_store_open()  ... dyad_store_close()    SQLite or ClickHouse event store
 *
 *   Per document (steady state does no malloc: the doc's arena and arrays are reused):
 *     dyad_reader_next(reader, &rec, &err)          next record (slices valid until the next call)
 *     dyad_doc_set(doc, &rec, limits, &err)         copy, repair UTF-8, NFC-normalise
 *     dyad_worker_segment(worker, doc, &err)        sentences and tokens
 *     dyad_worker_parse(worker, model, doc, &err)   tags, lemmas, dependency tree
 *     dyad_worker_code(worker, model, dict, doc, limits, &err)
 *                                                   events and quotations (segments and parses
 *                                                   first when that was not done)
 *     ... read results through dyad_doc_sentence() / dyad_doc_tokens() /
 *         dyad_doc_event() / dyad_doc_quote(), or dyad_writer_doc() / dyad_store_put() ...
 *     (the next dyad_doc_set() resets the doc)
 *
 * Conventions
 * -----------
 *   - Functions return dyad_status: 0 is success, negative values are named errors
 *     (DYAD_E*), a few return positive values documented where they are declared.
 *   - Every function that can fail takes an optional dyad_error *: pass NULL when the
 *     detail is not wanted.  The library never prints and never aborts.
 *   - Strings are dyad_slice {ptr,len} views; they are NOT NUL-terminated and stay valid
 *     as long as the object that owns them (the doc, the record, the model).
 *   - Every _free(NULL) is a no-op.
 */
#ifndef DYAD_H
#define DYAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DYAD_VERSION "0.1.0"

/* ---------------------------------------------------------------- status and errors */

typedef int dyad_status;

enum {
    DYAD_OK = 0,
    DYAD_DONE = 1,          /* a reader has no more records */
    DYAD_ENOMEM = -1,       /* out of memory */
    DYAD_EINVAL = -2,       /* invalid argument (a bug in the caller) */
    DYAD_EIO = -3,          /* cannot open, read or write a file */
    DYAD_EFORMAT = -4,      /* malformed input record or line */
    DYAD_ELIMIT = -5,       /* a configured limit was exceeded */
    DYAD_ECORRUPT = -6,     /* a model or compiled file is truncated or damaged */
    DYAD_EVERSION = -7,     /* a model or compiled file of another version or kind */
    DYAD_ENOTFOUND = -8,    /* a named thing does not exist */
    DYAD_EUNSUPPORTED = -9  /* the feature or format is not supported */
};

/* A short, static English description of a status. */
const char *dyad_strerror(dyad_status status);

/* Detail of an error or warning.  file/line/col locate it in the input (line and col
 * are 1-based, 0 when unknown); record names the record id when it is known. */
typedef struct dyad_error {
    dyad_status code;
    char msg[256];
    char file[256];
    char record[128];
    long line;
    long col;
} dyad_error;

/* ---------------------------------------------------------------- slices and limits */

typedef struct dyad_slice {
    const char *ptr;
    size_t len;
} dyad_slice;

/* Limits that keep every input bounded in time and memory. */
typedef struct dyad_limits {
    size_t max_record_bytes;       /* longer records are skipped with DYAD_ELIMIT */
    uint32_t max_sentence_tokens;  /* longer sentences are split */
    uint32_t max_token_bytes;      /* longer tokens are split */
} dyad_limits;

/* Defaults: 8 MiB records, 400-token sentences, 256-byte tokens. */
void dyad_limits_default(dyad_limits *limits);

/* ---------------------------------------------------------------- records and readers */

typedef enum dyad_input_format {
    DYAD_INPUT_AUTO = 0,   /* by file extension: .jsonl/.json, .xml, .conllu, else text */
    DYAD_INPUT_TEXT,       /* one article per file */
    DYAD_INPUT_JSONL,      /* one {"id","date","text",...} object per line */
    DYAD_INPUT_PETRARCH,   /* PETRARCH XML: <Sentence date="" id=""><Text>...</Text> */
    DYAD_INPUT_CONLLU      /* CoNLL-U: pre-tokenised sentences (see dyad_conllu_*) */
} dyad_input_format;

/* One input article.  All slices point into the reader's buffers and are valid until the
 * next dyad_reader_next() on the same reader.  Missing optional fields have len 0. */
typedef struct dyad_record {
    dyad_slice id;
    dyad_slice date;     /* YYYY-MM-DD (validated) */
    dyad_slice text;
    dyad_slice title;
    dyad_slice url;
    dyad_slice source;
    const char *file;    /* the input's name ("-" for stdin), NUL-terminated */
    long line;           /* 1-based line (or record number) where the record starts */
} dyad_record;

typedef struct dyad_reader_opts {
    dyad_input_format format;
    const char *default_date;  /* used for text input and records without a date; may be NULL */
    const char *default_id;    /* id of a plain-text article; NULL: the file's base name */
    dyad_limits limits;
} dyad_reader_opts;

typedef struct dyad_reader dyad_reader;

void dyad_reader_opts_default(dyad_reader_opts *opts);

/* Open path ("-" or NULL: standard input).  Compressed input (.gz, .zst, ...) is detected
 * from its content and decompressed through libarchive. */
dyad_status dyad_reader_open(const char *path, const dyad_reader_opts *opts,
                             dyad_reader **out, dyad_error *err);

/* Next record.  Returns DYAD_OK with rec filled, DYAD_DONE at the end, or a negative status
 * for a bad record (err names file, line and record id): the caller reports it and calls
 * again; the reader has already moved past the bad record.  DYAD_EIO means the stream
 * itself failed (e.g. a truncated compressed file): the records before it were delivered and
 * the next call returns DYAD_DONE. */
dyad_status dyad_reader_next(dyad_reader *reader, dyad_record *rec, dyad_error *err);

/* Bytes consumed so far and the total size when known (0 when not), for progress. */
void dyad_reader_progress(const dyad_reader *reader, uint64_t *done, uint64_t *total);

void dyad_reader_free(dyad_reader *reader);

/* A reader over a buffer in memory (not copied: it must outlive the reader); name is used in
 * error messages.  Compressed buffers are decompressed like files. */
dyad_status dyad_reader_open_memory(const void *buf, size_t len, const char *name,
                                    const dyad_reader_opts *opts, dyad_reader **out,
                                    dyad_error *err);

/* Checks a YYYY-MM-DD date (a real calendar day, years 1000-2999). */
int dyad_date_valid(dyad_slice date);

/* ---------------------------------------------------------------- documents */

/* Universal POS tags (UD v2), in this order. */
typedef enum dyad_upos {
    DYAD_UPOS_NONE = 0,
    DYAD_UPOS_ADJ, DYAD_UPOS_ADP, DYAD_UPOS_ADV, DYAD_UPOS_AUX, DYAD_UPOS_CCONJ,
    DYAD_UPOS_DET, DYAD_UPOS_INTJ, DYAD_UPOS_NOUN, DYAD_UPOS_NUM, DYAD_UPOS_PART,
    DYAD_UPOS_PRON, DYAD_UPOS_PROPN, DYAD_UPOS_PUNCT, DYAD_UPOS_SCONJ, DYAD_UPOS_SYM,
    DYAD_UPOS_VERB, DYAD_UPOS_X,
    DYAD_UPOS_COUNT
} dyad_upos;

/* Token flags. */
enum {
    DYAD_TOK_SPACE_AFTER = 1u << 0,  /* whitespace follows in the text */
    DYAD_TOK_PARA_START = 1u << 1,   /* first token of a paragraph */
    DYAD_TOK_REPAIRED = 1u << 2      /* overlaps bytes that were invalid UTF-8 */
};

/* One token.  form points into the document's normalised text; start/end are byte offsets
 * into the ORIGINAL text of the record (end exclusive).  The fields after flags are filled
 * by dyad_worker_parse(). */
typedef struct dyad_token {
    dyad_slice form;
    uint32_t start, end;
    uint32_t flags;
    dyad_slice lemma;     /* lemma (UD style: proper nouns keep their case); len 0 until parsed */
    uint16_t upos;        /* dyad_upos */
    uint16_t xpos;        /* index into dyad_xpos_name() */
    uint16_t deprel;      /* index into dyad_deprel_name() */
    uint16_t tag2;        /* the tagger's close second choice, xpos << 5 | upos (0: none);
                           * the parser reads it to hedge against tagging errors */
    int32_t head;         /* 1-based token index in the sentence, 0 = root, -1 = unparsed */
} dyad_token;

/* One sentence: tokens [first, first + ntokens) of the document. */
typedef struct dyad_sentence {
    uint32_t first;
    uint32_t ntokens;
    uint32_t start, end;  /* byte offsets into the original text */
    uint32_t paragraph;   /* 0-based paragraph index */
} dyad_sentence;

typedef struct dyad_doc dyad_doc;

dyad_doc *dyad_doc_new(void);
void dyad_doc_free(dyad_doc *doc);

/* Reset doc and load a record into it: copies every field, replaces invalid UTF-8 with
 * U+FFFD (one warning per invalid sequence, see dyad_doc_warning) and applies NFC.
 * Fails with DYAD_ELIMIT when the text is longer than limits->max_record_bytes
 * (limits may be NULL for the defaults). */
dyad_status dyad_doc_set(dyad_doc *doc, const dyad_record *rec, const dyad_limits *limits,
                         dyad_error *err);

/* Reset doc to an empty document with the given id and date (either may be empty), for
 * callers that supply their own tokens with dyad_doc_add_sentence(). */
dyad_status dyad_doc_reset(dyad_doc *doc, dyad_slice id, dyad_slice date);

/* Append a pre-tokenised sentence (e.g. from CoNLL-U).  The forms are copied; the doc text
 * becomes the forms joined by single spaces (or no space where space_after[i] is 0;
 * space_after may be NULL). */
dyad_status dyad_doc_add_sentence(dyad_doc *doc, const dyad_slice *forms,
                                  const unsigned char *space_after, size_t n,
                                  dyad_error *err);

dyad_slice dyad_doc_id(const dyad_doc *doc);
dyad_slice dyad_doc_date(const dyad_doc *doc);
dyad_slice dyad_doc_title(const dyad_doc *doc);
dyad_slice dyad_doc_url(const dyad_doc *doc);
dyad_slice dyad_doc_source(const dyad_doc *doc);
dyad_slice dyad_doc_text(const dyad_doc *doc);          /* normalised text */
dyad_slice dyad_doc_original(const dyad_doc *doc);      /* text as given */

size_t dyad_doc_nsentences(const dyad_doc *doc);
const dyad_sentence *dyad_doc_sentence(const dyad_doc *doc, size_t i);
size_t dyad_doc_ntokens(const dyad_doc *doc);
/* All tokens of the document; a sentence's tokens start at tokens[s->first]. */
const dyad_token *dyad_doc_tokens(const dyad_doc *doc);
/* Text of a sentence (a slice of the normalised text). */
dyad_slice dyad_doc_sentence_text(const dyad_doc *doc, const dyad_sentence *s);

/* Warnings gathered while loading and processing the document (e.g. invalid UTF-8 at a
 * byte offset, a sentence split at the token limit).  Valid until the next reset. */
size_t dyad_doc_nwarnings(const dyad_doc *doc);
const dyad_error *dyad_doc_warning(const dyad_doc *doc, size_t i);

/* ---------------------------------------------------------------- tag tables */

const char *dyad_upos_name(int upos);            /* "NOUN"; "_" for NONE or out of range */
int dyad_upos_from_name(dyad_slice name);        /* DYAD_UPOS_NONE when unknown */
int dyad_xpos_count(void);
const char *dyad_xpos_name(int xpos);            /* Penn tag, e.g. "NNP"; "_" when unknown */
int dyad_xpos_from_name(dyad_slice name);        /* 0 when unknown */
int dyad_deprel_count(void);
const char *dyad_deprel_name(int deprel);        /* "nsubj:pass"; "_" when unknown */
int dyad_deprel_from_name(dyad_slice name);      /* 0 when unknown */

/* ---------------------------------------------------------------- CoNLL-U */

/* A reader of CoNLL-U files (UD treebanks): gold sentences and tokens, for parsing with
 * gold tokenisation and for evaluation.  Multi-word token lines (3-4) and empty nodes (8.1)
 * are skipped: tokens are the syntactic words. */
typedef struct dyad_conllu dyad_conllu;

dyad_status dyad_conllu_open(const char *path, dyad_conllu **out, dyad_error *err);

/* Load the next document into doc: the sentences up to the next "# newdoc" line (or at most
 * max_sentences sentences when that is not 0), tokens from the FORM column, SpaceAfter=No
 * honoured.  Returns DYAD_OK, DYAD_DONE at the end, or an error naming file and line. */
dyad_status dyad_conllu_next(dyad_conllu *c, dyad_doc *doc, size_t max_sentences,
                             dyad_error *err);

/* Gold annotation of the tokens of the last document loaded: same count and order as
 * dyad_doc_tokens(doc), with form, lemma, upos, xpos, head and deprel from the file (lemma and
 * form point into the reader and stay valid until the next dyad_conllu_next). */
const dyad_token *dyad_conllu_gold(const dyad_conllu *c);

/* The "# text = ..." of sentence i of the last document (len 0 when the file has none), and
 * whether sentence i started a new paragraph ("# newpar"). */
dyad_slice dyad_conllu_text(const dyad_conllu *c, size_t i);
int dyad_conllu_newpar(const dyad_conllu *c, size_t i);
/* The "# newdoc id = ..." of the last document (len 0 when none). */
dyad_slice dyad_conllu_doc_id(const dyad_conllu *c);

void dyad_conllu_free(dyad_conllu *c);

/* ---------------------------------------------------------------- workers and stages */

typedef struct dyad_worker dyad_worker;

dyad_worker *dyad_worker_new(void);
void dyad_worker_free(dyad_worker *worker);

/* Split the document's text into sentences and tokens (news-aware, UD English conventions). */
dyad_status dyad_worker_segment(dyad_worker *worker, dyad_doc *doc, const dyad_limits *limits,
                                dyad_error *err);

/* ---------------------------------------------------------------- model, tagging, parsing */

/* The tagger + lemmatiser + parser model: one file, mmap'd read-only, immutable, shared by
 * every thread.  A truncated, damaged (checksum) or foreign file fails with DYAD_ECORRUPT or
 * DYAD_EVERSION and a message naming the file. */
typedef struct dyad_model dyad_model;

dyad_status dyad_model_open(const char *path, dyad_model **out, dyad_error *err);
void dyad_model_free(dyad_model *model);

/* Tag, lemmatise and parse every sentence of a segmented document: fills lemma, upos, xpos,
 * head and deprel of every token.  Each sentence becomes one well-formed tree. */
dyad_status dyad_worker_parse(dyad_worker *worker, const dyad_model *model, dyad_doc *doc,
                              dyad_error *err);

/* Training from CoNLL-U. */
typedef struct dyad_train_opts {
    const char *train_path;     /* CoNLL-U training file (required) */
    const char *dev_path;       /* CoNLL-U development file for reporting/averaging (may be NULL) */
    const char *out_path;       /* model file to write (required) */
    const char *wordnet_dir;    /* WordNet dict dir (index.*, *.exc); default /usr/share/wordnet */
    uint32_t seed;              /* shuffling seed: same seed, same data -> same model bytes */
    int tagger_epochs;          /* 0: the default */
    int parser_epochs;          /* 0: the default */
    /* progress lines (one per epoch and stage); may be NULL */
    void (*progress)(void *ctx, const char *line);
    void *progress_ctx;
} dyad_train_opts;

void dyad_train_opts_default(dyad_train_opts *opts);
dyad_status dyad_train(const dyad_train_opts *opts, dyad_error *err);

/* ---------------------------------------------------------------- dictionaries */

/* Actor, agent, discard and issue dictionaries, verb patterns and the CAMEO code table:
 * immutable once open, shared by all threads.  Text dictionaries are read in any supported
 * format (dyad's own, docs/dictionaries.md; PETRARCH-1, PETRARCH-2, Phoenix actors/agents/
 * discards/issues/word lists; TABARI .actors/.verbs/.agents), detected from the content (the
 * file name is a hint), and compiled in memory; a compiled file (dyad dict compile) is
 * mmap'd.  A damaged, truncated, foreign or stale compiled file fails with DYAD_ECORRUPT or
 * DYAD_EVERSION. */
typedef struct dyad_dict dyad_dict;

/* Problems found while reading (and, for dyad_dict_check, linting) text dictionaries:
 * is_error is 1 for a line that could not be read or a lint error (problem->code < 0), 0 for
 * a warning (problem->code == DYAD_OK); file and line locate it. */
typedef void (*dyad_dict_report_fn)(void *ctx, int is_error, const dyad_error *problem);

enum {
    DYAD_DICT_LINT = 1u << 0   /* also run the lint rules (dyad_dict_check) */
};

typedef struct dyad_dict_opts {
    const char *cache_dir;     /* where compiled forms of text dictionaries are cached, or NULL */
    dyad_dict_report_fn report;   /* problems while reading text (may be NULL) */
    void *report_ctx;
    unsigned flags;            /* DYAD_DICT_* */
} dyad_dict_opts;

/* paths: dictionary files or directories (every *.txt inside, in name order), in any
 * supported format, or one compiled file given alone.  When cache_dir is not NULL the
 * compiled form is cached there under a key of the paths, sizes and mtimes and reused.
 * Lines that cannot be read are skipped (see dyad_dict_check to list them). */
dyad_status dyad_dict_open(const char *const *paths, size_t npaths, const char *cache_dir,
                           dyad_dict **out, dyad_error *err);
dyad_status dyad_dict_open_opts(const char *const *paths, size_t npaths,
                                const dyad_dict_opts *opts, dyad_dict **out, dyad_error *err);
/* Read text dictionaries and write them as one compiled file (written atomically). */
dyad_status dyad_dict_compile(const char *const *paths, size_t npaths, const char *out_path,
                              dyad_error *err);
/* Write an open dictionary in its compiled form (written atomically). */
dyad_status dyad_dict_save(const dyad_dict *d, const char *out_path, dyad_error *err);
void dyad_dict_free(dyad_dict *d);

/* Lint: every problem goes to fn (may be NULL); returns the number of errors (a path that
 * cannot be opened counts as one). */
long dyad_dict_check(const char *const *paths, size_t npaths, dyad_dict_report_fn fn,
                     void *ctx);

/* Kinds of entries, for counts. */
enum {
    DYAD_DICT_KIND_COUNTRY = 1, DYAD_DICT_KIND_ADJ, DYAD_DICT_KIND_PEOPLE,
    DYAD_DICT_KIND_CAPITAL, DYAD_DICT_KIND_CITY, DYAD_DICT_KIND_REGION,
    DYAD_DICT_KIND_METONYM, DYAD_DICT_KIND_PERSON, DYAD_DICT_KIND_ORG, DYAD_DICT_KIND_AGENT,
    DYAD_DICT_KIND_DISCARD, DYAD_DICT_KIND_ISSUE, DYAD_DICT_KIND_PACTOR,
    DYAD_DICT_KIND_PAGENT, DYAD_DICT_KIND_WORD,
    DYAD_DICT_KIND_COUNT
};
/* "country", "adj", ..., "petrarch-actor", "petrarch-agent", "word"; NULL out of range. */
const char *dyad_dict_kind_name(int kind);

/* What was read from one dictionary file. */
typedef struct dyad_dict_file_info {
    const char *path;           /* NUL-terminated, valid while the dictionary is open */
    const char *format;         /* "dyad", "dyad-cameo", "petrarch-actors", "petrarch-agents",
                                   "petrarch1-verbs", "petrarch2-verbs", "petrarch-discards",
                                   "phoenix-issues", "word-list", "tabari-actors",
                                   "tabari-agents", "tabari-verbs" */
    unsigned long lines;        /* lines in the file */
    unsigned long unread;       /* lines that could not be read (errors) */
    unsigned long warnings;     /* lines read with a warning */
    unsigned long entries[DYAD_DICT_KIND_COUNT];  /* names (phrases) per kind */
    unsigned long patterns, verbs, sets, codes, transforms;
} dyad_dict_file_info;

size_t dyad_dict_nfiles(const dyad_dict *d);
dyad_status dyad_dict_file(const dyad_dict *d, size_t i, dyad_dict_file_info *info);
/* CAMEO codes of the code table that no pattern or verb uses: the i-th, or NULL past the end
 * (empty when no code table or no pattern was loaded). */
const char *dyad_dict_unpatterned(const dyad_dict *d, size_t i);

/* ---------------------------------------------------------------- events and quotations */

/* An actor as coded: its CAMEO code ("RUSGOV") and the words that named it. */
typedef struct dyad_actor {
    dyad_slice code;      /* may be empty when only the words are known */
    dyad_slice text;      /* slice of the document's normalised text */
    uint32_t start, end;  /* byte offsets into the original text */
} dyad_actor;

enum {
    DYAD_EVENT_NEGATED = 1u << 0,    /* coded under negation by a rejecting code */
    DYAD_EVENT_REPORTED = 1u << 1,   /* inside reported speech */
    DYAD_EVENT_RECIPROCAL = 1u << 2, /* one of the two directions of a reciprocal verb */
    DYAD_EVENT_COMPOUND = 1u << 3,   /* one member of a compound actor */
    DYAD_EVENT_NOMINAL = 1u << 4,    /* from a noun ("sanctions against") */
    DYAD_EVENT_DATE_INFERRED = 1u << 5  /* no date in the text: the article date */
};

/* One coded event.  Strings are slices into the document or the dictionary and stay valid as
 * long as both. */
typedef struct dyad_event {
    uint32_t sentence;        /* index of the sentence in the document */
    dyad_actor source, target;
    char code[6];             /* CAMEO event code, e.g. "040", "1721" */
    char root[3];             /* its two-digit root, e.g. "04" */
    int quad;                 /* QuadClass 1-4 */
    double goldstein;         /* Goldstein scale value */
    char date[11];            /* the event's date: YYYY-MM-DD, YYYY-MM or YYYY */
    dyad_slice location;      /* place name from the text (len 0 when none) */
    char location_country[4]; /* its ISO alpha-3 country ("" when unknown) */
    dyad_slice verb;          /* the words of the predicate */
    uint32_t verb_start, verb_end;   /* original offsets of the predicate */
    dyad_slice pattern;       /* the dictionary pattern that matched, as written */
    dyad_slice pattern_file;  /* where it is written */
    uint32_t pattern_line;
    uint32_t flags;           /* DYAD_EVENT_* */
} dyad_event;

/* One direct quotation and its speaker. */
typedef struct dyad_quote {
    uint32_t sentence;        /* sentence where the quotation starts */
    dyad_actor speaker;
    dyad_slice text;          /* the quoted words, without the quotation marks */
    uint32_t start, end;      /* original offsets of the quoted words */
} dyad_quote;

/* Code a document: segments and parses it first when that has not been done (model may be
 * NULL when the document is already parsed), then finds its events and quotations with the
 * dictionaries.  The document needs its article date (dyad_doc_date) to resolve dates and
 * date-restricted actors; without one it fails with DYAD_EFORMAT. */
dyad_status dyad_worker_code(dyad_worker *worker, const dyad_model *model, const dyad_dict *dict,
                             dyad_doc *doc, const dyad_limits *limits, dyad_error *err);

size_t dyad_doc_nevents(const dyad_doc *doc);
const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i);
size_t dyad_doc_nquotes(const dyad_doc *doc);
const dyad_quote *dyad_doc_quote(const dyad_doc *doc, size_t i);

/* ---------------------------------------------------------------- linear coding (PETRARCH-1, TABARI) */

/* PETRARCH-1 and TABARI verb dictionaries write patterns as word sequences around the verb
 * ("- + WAS * DEAD IN $ [224]"); dyad codes them with a linear coder (docs/petrarch.md)
 * rather than over the dependency tree.  Options, as PETRARCH's config names them: */
typedef struct dyad_linear_opts {
    /* Comma-delimited clauses of min..max words (counted as written) are dropped before
     * coding; max 0 turns a kind off.  b: the clause that opens the sentence, e: the one
     * that closes it, plain: the ones inside. */
    int comma_min, comma_max;
    int comma_bmin, comma_bmax;
    int comma_emin, comma_emax;
    int require_dyad;       /* 1: an event needs a coded source and a coded target */
    int new_actor_length;   /* > 0: a noun phrase of at most this many words that names no
                               dictionary actor becomes the actor "WORDS" (upper case) */
    /* Optional trace of the coder's decisions, one line per call (may be NULL). */
    void (*trace)(void *ctx, const char *line);
    void *trace_ctx;
} dyad_linear_opts;

/* PETRARCH's defaults: 2-8 inside, 2-8 at the end, 0-0 at the start, require_dyad 1,
 * new_actor_length 0, no trace. */
void dyad_linear_opts_default(dyad_linear_opts *opts);

/* 1 when the dictionary holds linear verb patterns or verbs (PETRARCH-1 / TABARI) or
 * PETRARCH-2 phrase patterns (read as their words), else 0: such dictionaries are coded with
 * dyad_worker_code_linear(). */
int dyad_dict_is_linear(const dyad_dict *dict);

/* Code a document with a linear dictionary: segments it first when that has not been done
 * and parses it with model when model is not NULL (tags tell verbs from nouns; without them
 * the coder falls back on word-order rules), then appends the events of every sentence
 * (dyad_doc_event).  opts may be NULL for the defaults.  The document needs its date
 * (date-restricted actors); without one it fails with DYAD_EFORMAT. */
dyad_status dyad_worker_code_linear(dyad_worker *worker, const dyad_model *model,
                                    const dyad_dict *dict, dyad_doc *doc,
                                    const dyad_linear_opts *opts, dyad_error *err);

/* ---------------------------------------------------------------- writers */

typedef enum dyad_format {
    DYAD_FORMAT_JSONL = 1,  /* one JSON object per event and per quotation (docs/formats.md) */
    DYAD_FORMAT_TSV,        /* a tab-separated table with a header line */
    DYAD_FORMAT_TABLE,      /* a readable table per article */
    DYAD_FORMAT_GDELT,      /* the GDELT 1.0 event table: 58 tab-separated fields */
    DYAD_FORMAT_PETRARCH    /* PETRARCH-2's events file: date, source, target, code, id, ... */
} dyad_format;

typedef struct dyad_writer dyad_writer;

/* "jsonl", "tsv", "table", "gdelt", "petrarch" -> dyad_format, or -1. */
int dyad_format_from_name(const char *name);
/* A writer to an open stream (not closed by the writer). */
dyad_writer *dyad_writer_new(FILE *f, dyad_format format);
/* Write the events and quotations of a coded document. */
dyad_status dyad_writer_doc(dyad_writer *w, const dyad_doc *doc, dyad_error *err);
void dyad_writer_free(dyad_writer *w);
/* Write s as a JSON string (quoted, escaped) to f. */
void dyad_write_json_string(FILE *f, dyad_slice s);

/* CAMEO code table lookups (the project's own table, dict/cameo.txt, compiled in). */
int dyad_cameo_quad(const char *code);            /* 1-4, 0 when unknown */
double dyad_cameo_goldstein(const char *code);    /* 0.0 when unknown */
const char *dyad_cameo_name(const char *code);    /* NULL when unknown */

/* ---------------------------------------------------------------- the event store */

/* A database of coded articles: articles, sentences (with a full-text index), events, actors
 * and quotations, for trend lines and for going back from a count to the sentences behind it.
 * The schemas are documented in docs/store.md (SQLite) and docs/clickhouse.md: the ClickHouse
 * tables' version is DYAD_STORE_SCHEMA; SQLite databases carry theirs in user_version (new
 * ones 2, and version 1 files are still read and written).
 *
 *   dyad_store_open(uri, ...)            a path: SQLite (created when missing);
 *                                        clickhouse://HOST:PORT/DB: ClickHouse (docs/clickhouse.md)
 *   dyad_store_put(store, doc)           a coded document replaces the article of the same id
 *   dyad_store_load(store, path, ...)    dyad's JSONL output (plain or compressed)
 *   dyad_store_query_*(store, ...)       rows through a callback
 *   dyad_store_close(store)              commits and frees
 *
 * Writes are batched: one transaction per batch of articles.  A store handle is used by one
 * thread at a time. */
typedef struct dyad_store dyad_store;

#define DYAD_STORE_SCHEMA 1

enum {
    DYAD_STORE_READONLY = 1u << 0,   /* queries only; the database must exist */
    DYAD_STORE_SAFE = 1u << 1        /* wait for the disk at each commit (synchronous=FULL) */
};

typedef struct dyad_store_opts {
    unsigned flags;           /* DYAD_STORE_* */
    size_t batch_articles;    /* articles per transaction; 0: the default (1000) */
} dyad_store_opts;

void dyad_store_opts_default(dyad_store_opts *opts);

/* Open (and create, unless read-only) the store at uri: a file path for SQLite,
 * "clickhouse://HOST:PORT/DB" for a ClickHouse server (docs/clickhouse.md); another scheme
 * fails with DYAD_EUNSUPPORTED.  A database written by another schema version fails with
 * DYAD_EVERSION; a file that
 * is not a dyad database with DYAD_EFORMAT; a missing database opened read-only with
 * DYAD_ENOTFOUND.  opts may be NULL for the defaults. */
dyad_status dyad_store_open(const char *uri, const dyad_store_opts *opts, dyad_store **out,
                            dyad_error *err);

/* Store a coded document: the article row (id, date, title, url, source, text), its
 * sentences, events and quotations.  An article with the same id is replaced. */
dyad_status dyad_store_put(dyad_store *store, const dyad_doc *doc, dyad_error *err);

/* Store one line of dyad's JSONL output (an "event" or "quote" record, docs/formats.md), or
 * one article line of dyad's JSONL input ({"id", "date", "text", ...}: its metadata).  The
 * records of an article are the consecutive records with the same "doc": when they are
 * complete (a record of another article arrives, or at flush/close) they replace that
 * article's sentences, events and quotations, keeping its metadata.  A malformed record fails
 * with DYAD_EFORMAT and is not stored; the records around it are. */
dyad_status dyad_store_put_record(dyad_store *store, const char *json, size_t len,
                                  dyad_error *err);

/* Called for each record that could not be stored (err names the file, line and record). */
typedef void (*dyad_store_report_fn)(void *ctx, const dyad_error *problem);

/* Store every line of a file of dyad's JSONL output ("-" or NULL: standard input; compressed
 * input is recognised by its content).  Bad lines go to report (may be NULL) and are
 * skipped.  Fails only when the file cannot be read (DYAD_EIO; the lines before the failure
 * are stored) or the store fails. */
dyad_status dyad_store_load(dyad_store *store, const char *path, dyad_store_report_fn report,
                            void *ctx, dyad_error *err);

/* Write what is pending and commit. */
dyad_status dyad_store_flush(dyad_store *store, dyad_error *err);

/* Flush, then free the store (also when the flush fails).  NULL is a no-op. */
dyad_status dyad_store_close(dyad_store *store, dyad_error *err);

/* What went through this handle since it was opened. */
typedef struct dyad_store_counts {
    uint64_t records;    /* records given to dyad_store_put_record / dyad_store_load */
    uint64_t skipped;    /* of which malformed */
    uint64_t articles;   /* articles written (a replaced article counts once per write) */
    uint64_t sentences, events, quotes;
} dyad_store_counts;

void dyad_store_counts_get(const dyad_store *store, dyad_store_counts *counts);

/* ---- queries */

/* One value of a result row.  Text slices are valid during the callback only. */
typedef enum dyad_value_type {
    DYAD_VALUE_NULL = 0, DYAD_VALUE_INT, DYAD_VALUE_REAL, DYAD_VALUE_TEXT
} dyad_value_type;

typedef struct dyad_value {
    dyad_value_type type;
    int64_t i;
    double r;
    dyad_slice s;
} dyad_value;

/* Called once per result row; names and values have ncols entries.  Return 0 to go on,
 * anything else to stop the query (which then returns DYAD_OK). */
typedef int (*dyad_row_fn)(void *ctx, size_t ncols, const char *const *names,
                           const dyad_value *values);

typedef enum dyad_period {
    DYAD_BY_DAY = 1, DYAD_BY_MONTH, DYAD_BY_YEAR
} dyad_period;

/* Which events a query looks at.  Actor codes match as prefixes in whole three-letter
 * units ("RUS" matches RUS, RUSGOV, RUSMIL; "RUSGOV" matches RUSGOV and RUSGOVMIL), case
 * does not matter; an event code matches itself and every code under it ("13" matches
 * 13, 130, 131, 1311).  Dates are YYYY-MM-DD, inclusive; an event dated only by a month or
 * a year counts as its first day (as in GDELT). */
typedef struct dyad_store_filter {
    const char *source, *target;   /* NULL: any */
    const char *code;              /* NULL: any */
    const char *from, *to;         /* NULL: open */
    int quad;                      /* 1-4, 0: any */
    int one_a_day;                 /* count (date, source, target, code) groups, not records */
    size_t limit;                  /* most rows; 0: no limit */
} dyad_store_filter;

void dyad_store_filter_default(dyad_store_filter *filter);

/* Check a filter (DYAD_EINVAL with a message naming the bad field). */
dyad_status dyad_store_filter_check(const dyad_store_filter *filter, dyad_error *err);

/* Events between two actors, filter->source (A) and filter->target (B), both required, in
 * both directions, per period: columns period, source, target, events, quad1, quad2, quad3,
 * quad4, goldstein_sum, goldstein_mean (NULL when no events).  Every period from the first
 * to the last (filter->from/to when given, else the data's) has its two rows, A->B then
 * B->A, zero when nothing happened. */
dyad_status dyad_store_query_dyad(dyad_store *store, const dyad_store_filter *filter,
                                  dyad_period by, dyad_row_fn fn, void *ctx, dyad_error *err);

/* The most active actors: columns actor, as_source, as_target, total (as_source +
 * as_target); highest total first.  by_country groups codes by their first three letters. */
dyad_status dyad_store_query_actors(dyad_store *store, const dyad_store_filter *filter,
                                    int by_country, dyad_row_fn fn, void *ctx, dyad_error *err);

/* Events in date order: columns date, source, source_text, target, target_text, code, quad,
 * goldstein, location, country, article, sentence, verb.  With one_a_day, one row per
 * (day, source, target, code): date, source, target, code, quad, goldstein, num_mentions,
 * num_sources, num_articles (GDELT's NumMentions, NumSources, NumArticles). */
dyad_status dyad_store_query_events(dyad_store *store, const dyad_store_filter *filter,
                                    dyad_row_fn fn, void *ctx, dyad_error *err);

/* Full-text search over sentences.  text is words (all must occur; a word ending in '*' is a
 * prefix) or, with raw set, an FTS5 query as written (OR, NOT, NEAR, "phrases"; SQLite only:
 * ClickHouse matches each word as a case-insensitive substring).  One row per
 * sentence and event of that sentence (event columns NULL when the sentence has none):
 * article, sentence, text, event_date, source, target, code, quad, goldstein; ordered by
 * article and sentence; filter->limit counts sentences. */
dyad_status dyad_store_search(dyad_store *store, const char *text, int raw,
                              const dyad_store_filter *filter, dyad_row_fn fn, void *ctx,
                              dyad_error *err);

/* Run one SQL statement of the backend's dialect with text parameters for ?1, ?2, ... (bound
 * by SQLite; quoted and substituted for ClickHouse); a read-only store runs only statements
 * that do not write. */
dyad_status dyad_store_sql(dyad_store *store, const char *sql, const char *const *params,
                           size_t nparams, dyad_row_fn fn, void *ctx, dyad_error *err);

/* ---------------------------------------------------------------- the dashboard server */

/* An HTTP server (libmicrohttpd) over an event store: the dashboard's static files and a
 * JSON API under /api/ (docs/dashboard.md).  It answers on its own threads until stopped;
 * each request borrows one of as many read-only store handles as there are threads. */
typedef struct dyad_server dyad_server;

typedef struct dyad_server_opts {
    const char *db;              /* the event store, opened read-only (required) */
    const char *web_dir;         /* the dashboard's static files (required) */
    const char *host;            /* the address to listen on; NULL: "127.0.0.1" */
    unsigned port;               /* 0: a free port, see dyad_server_port */
    unsigned threads;            /* request threads; 0: 4 */
    unsigned max_connections;    /* connections at once; 0: 64 */
} dyad_server_opts;

void dyad_server_opts_default(dyad_server_opts *opts);

/* Open the store, bind and start answering.  A store that cannot be opened fails as
 * dyad_store_open does; an address that cannot be bound with DYAD_EIO. */
dyad_status dyad_server_start(const dyad_server_opts *opts, dyad_server **out, dyad_error *err);

/* The port the server listens on. */
unsigned dyad_server_port(const dyad_server *server);

/* Stop answering (requests under way finish), close the store and free.  NULL is a no-op. */
void dyad_server_stop(dyad_server *server);

#ifdef __cplusplus
}
#endif

#endif /* DYAD_H */
