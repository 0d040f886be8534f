/* dyad.h - the public C API of dyad: news text in, CAMEO-coded political events out.
 *
 * Lifecycle
 * ---------
 *   Immutable, shared by all threads (open once, free once):
 *     dyad_model_open()  ... dyad_model_free()     tagger + parser model (mmap'd)
 *
 *   Per thread (not shared; cheap to create):
 *     dyad_worker_new()  ... dyad_worker_free()    scratch space for the stages
 *     dyad_doc_new()     ... dyad_doc_free()       one document and its arena
 *
 *   Per input stream:
 *     dyad_reader_open() ... dyad_reader_free()    text | JSONL | PETRARCH XML, plain/.gz/.zst
 *
 *   Per document (steady state does no malloc: the doc's arena and arrays are reused):
 *     dyad_reader_next(reader, &rec, &err)          next record (slices valid until the next call)
 *     dyad_doc_set(doc, &rec, limits, &err)         copy, repair UTF-8, NFC-normalise
 *     dyad_worker_segment(worker, doc, &err)        sentences and tokens
 *     dyad_worker_parse(worker, model, doc, &err)   tags, lemmas, dependency tree
 *     ... read results through dyad_doc_sentence() / dyad_doc_tokens() ...
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

size_t dyad_doc_nevents(const dyad_doc *doc);
const dyad_event *dyad_doc_event(const dyad_doc *doc, size_t i);
size_t dyad_doc_nquotes(const dyad_doc *doc);
const dyad_quote *dyad_doc_quote(const dyad_doc *doc, size_t i);

/* CAMEO code table lookups (the project's own table, dict/cameo.txt, compiled in). */
int dyad_cameo_quad(const char *code);            /* 1-4, 0 when unknown */
double dyad_cameo_goldstein(const char *code);    /* 0.0 when unknown */
const char *dyad_cameo_name(const char *code);    /* NULL when unknown */

#ifdef __cplusplus
}
#endif

#endif /* DYAD_H */
