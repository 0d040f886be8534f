#!/bin/sh
# make-jsonl.sh - write the example articles (examples/*.txt) as one JSONL file on stdout.
# Each .txt file is one article: the headline on the first line, a blank line, the body.
# The file name gives the id and starts with the article's date (YYYY-MM-DD-...).
#   sh examples/make-jsonl.sh > examples/articles.jsonl
dir=$(dirname "$0")
for f in "$dir"/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-*.txt; do
    id=$(basename "$f" .txt)
    awk -v id="$id" -v date="$(printf '%s' "$id" | cut -c1-10)" '
        function esc(s) {
            gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s); gsub(/\r/, "", s)
            return s
        }
        NR == 1 { title = esc($0); next }
        NR == 2 && $0 == "" { next }
        { body = body (started ? "\\n" : "") esc($0); started = 1 }
        END {
            sub(/(\\n)+$/, "", body)
            printf "{\"id\":\"%s\",\"date\":\"%s\",\"title\":\"%s\",\"text\":\"%s\",", id, date, title, body
            printf "\"source\":\"dyad examples\",\"url\":\"https://example.org/dyad/%s\"}\n", id
        }' "$f"
done
