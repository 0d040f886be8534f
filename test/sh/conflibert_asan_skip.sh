#!/bin/sh
# conflibert_asan_skip.sh - real news: event class and source/target spans stay above their floors.
DYAD=$1
SHARED=$2
if [ ! -d "$SHARED/conflibert" ]; then
    echo "SKIP conflibert: $SHARED/conflibert is not here"
    exit 0
fi
# floors a little below what the shipped dictionaries and model reach (see the issue notes):
# class accuracy 61.60%, no event 30.91%, span F1 0.527
out=$("$DYAD" eval conflibert --dir "$SHARED/conflibert" --floor-accuracy 60 --max-none 33 \
      --floor-f1 0.50 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    echo "PASS conflibert: $(printf '%s\n' "$out" | grep '^class:' | sed 's/.*: //')"
else
    echo "FAIL conflibert: exit $rc: $(printf '%s\n' "$out" | tail -1)"
fi
