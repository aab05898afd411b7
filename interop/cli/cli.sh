#!/usr/bin/env bash
# The AWS CLI against a running fakecloud: cli.sh AWS_BINARY
# Needs FAKECLOUD_ENDPOINT. Every check compares the command's output with
# what AWS prints; services fakecloud does not serve yet (per
# /_fakecloud/health) are skipped by name. Prints
# "interop cli <version>: N passed, N failed, N skipped" and exits non-zero
# on any failure.
set -euo pipefail
AWS=${1:?usage: cli.sh AWS_BINARY}
: "${FAKECLOUD_ENDPOINT:?set FAKECLOUD_ENDPOINT}"
command -v "$AWS" >/dev/null || { echo "interop cli: $AWS not found"; echo "interop cli missing: 0 passed, 1 failed"; exit 1; }

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
# Both CLIs read AWS_ENDPOINT_URL only in recent versions; --endpoint-url works everywhere.
VERSION=$("$AWS" --version 2>&1 | awk '{print $1}')
SERVICES=$(python3 -c 'import json,sys,urllib.request;print(" ".join(json.load(urllib.request.urlopen(sys.argv[1]+"/_fakecloud/health"))["services"]))' "$FAKECLOUD_ENDPOINT")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
pass=0 fail=0 skip=0

aws_() { "$AWS" --endpoint-url "$FAKECLOUD_ENDPOINT" --output json "$@"; }
ok() { pass=$((pass + 1)); echo "ok   $1"; }
# A failure while GAP names a section of KNOWN_GAPS.md is a skip that names
# the gap (a failure when INTEROP_STRICT=1).
GAP=""
bad() {
  if [ -n "$GAP" ] && [ "${INTEROP_STRICT:-}" != 1 ]; then
    skip=$((skip + 1)); echo "skip $1: known gap $GAP (KNOWN_GAPS.md): $2"
  else
    fail=$((fail + 1)); echo "FAIL $1: $2"
  fi
}
# check NAME EXPECTED ACTUAL
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want [$2] got [$3]"; fi; }
# contains NAME NEEDLE HAYSTACK
contains() { case "$3" in *"$2"*) ok "$1" ;; *) bad "$1" "[$2] not in [$3]" ;; esac; }
serves() { case " $SERVICES " in *" $1 "*) return 0 ;; *) skip=$((skip + 1)); echo "skip $1: fakecloud does not serve it yet"; return 1 ;; esac; }
jq_() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1" 2>/dev/null || echo "(not the expected JSON)"; }
run() { # run NAME CMD... : records a failure (with output) if CMD fails, prints its stdout
  local name=$1; shift
  if ! out=$("$@" 2>"$WORK/err"); then bad "$name" "exit $?: $(head -c 400 "$WORK/err")"; return 1; fi
  printf '%s' "$out"
}

if serves s3; then
  B=cli-$RANDOM$RANDOM
  out=$(run "s3 mb" aws_ s3 mb "s3://$B") && check "s3 mb" "make_bucket: $B" "$out"
  printf 'hello cli\n' >"$WORK/a.txt"
  out=$(run "s3 cp up" aws_ s3 cp "$WORK/a.txt" "s3://$B/dir/a.txt") && contains "s3 cp up" "upload: " "$out"
  out=$(run "s3 ls" aws_ s3 ls "s3://$B/dir/") && contains "s3 ls" " 10 a.txt" "$out"
  out=$(run "s3 cp down" aws_ s3 cp "s3://$B/dir/a.txt" "$WORK/b.txt") && check "s3 cp down" "hello cli" "$(cat "$WORK/b.txt")"
  mkdir -p "$WORK/tree/sub"; echo one >"$WORK/tree/1.txt"; echo two >"$WORK/tree/sub/2.txt"
  head -c $((9 * 1024 * 1024)) /dev/urandom >"$WORK/tree/big.bin" # above the CLI's 8 MiB multipart threshold
  out=$(run "s3 sync up" aws_ s3 sync "$WORK/tree" "s3://$B/tree") && check "s3 sync up" 3 "$(tr '\r' '\n' <<<"$out" | grep -c '^upload: ')"
  out=$(run "s3 sync again" aws_ s3 sync "$WORK/tree" "s3://$B/tree") && check "s3 sync is idempotent" "" "$out"
  out=$(run "s3 sync down" aws_ s3 sync "s3://$B/tree" "$WORK/back") && check "s3 sync down" "$(cd "$WORK/tree" && find . -type f -exec md5sum {} + | sort)" "$(cd "$WORK/back" && find . -type f -exec md5sum {} + | sort)"
  out=$(run "s3api head-object" aws_ s3api head-object --bucket "$B" --key tree/big.bin) && {
    check "s3api head-object multipart ETag" '-2"' "$(jq_ 'd["ETag"][-3:]' <<<"$out")"
  }
  out=$(run "s3api list-objects-v2" aws_ s3api list-objects-v2 --bucket "$B" --prefix tree/ --query 'Contents[].Key') &&
    check "s3api list-objects-v2" "['tree/1.txt', 'tree/big.bin', 'tree/sub/2.txt']" "$(jq_ d <<<"$out")"
  out=$(run "s3api put-object" aws_ s3api put-object --bucket "$B" --key p.txt --body "$WORK/a.txt") &&
    check "s3api put-object ETag" "\"$(md5sum <"$WORK/a.txt" | cut -d' ' -f1)\"" "$(jq_ 'd["ETag"]' <<<"$out")"
  url=$(run "s3 presign" aws_ s3 presign "s3://$B/p.txt" --expires-in 300) &&
    check "s3 presign GET" "hello cli" "$(curl -fsS "$url" 2>&1)"
  out=$(run "s3 rm" aws_ s3 rm "s3://$B" --recursive) && check "s3 rm --recursive" 5 "$(tr '\r' '\n' <<<"$out" | grep -c '^delete: ')"
  out=$(run "s3 rb" aws_ s3 rb "s3://$B") && check "s3 rb" "remove_bucket: $B" "$out"
  if "$AWS" --endpoint-url "$FAKECLOUD_ENDPOINT" s3api head-bucket --bucket "$B" 2>"$WORK/err"; then bad "head-bucket after rb" "succeeded"; else contains "head-bucket after rb is 404" "404" "$(cat "$WORK/err")"; fi
fi

if serves sqs; then
  # CLI v1 1.45 speaks SQS's JSON protocol; v2.9 (Debian) still speaks query.
  case "$VERSION" in aws-cli/2.9.*) GAP=sqs-query-flattened-lists ;; esac
  out=$(run "sqs create-queue" aws_ sqs create-queue --queue-name "cli-q-$RANDOM") && {
    Q=$(jq_ 'd["QueueUrl"]' <<<"$out"); contains "sqs create-queue" "/cli-q-" "$Q"
    out=$(run "sqs send-message" aws_ sqs send-message --queue-url "$Q" --message-body "hi cli") &&
      check "sqs send-message MD5" "$(printf 'hi cli' | md5sum | cut -d' ' -f1)" "$(jq_ 'd["MD5OfMessageBody"]' <<<"$out")"
    out=$(run "sqs receive-message" aws_ sqs receive-message --queue-url "$Q" --wait-time-seconds 1) &&
      check "sqs receive-message body" "hi cli" "$(jq_ 'd["Messages"][0]["Body"]' <<<"$out" 2>&1)"
    out=$(run "sqs get-queue-attributes" aws_ sqs get-queue-attributes --queue-url "$Q" --attribute-names QueueArn) &&
      contains "sqs get-queue-attributes QueueArn" "arn:aws:sqs:us-east-1:" "$out"
    run "sqs delete-queue" aws_ sqs delete-queue --queue-url "$Q" >/dev/null && ok "sqs delete-queue"
  }
  GAP=""
fi

if serves sns; then
  out=$(run "sns create-topic" aws_ sns create-topic --name "cli-t-$RANDOM") && {
    T=$(jq_ 'd["TopicArn"]' <<<"$out"); contains "sns create-topic" "arn:aws:sns:us-east-1:" "$T"
    out=$(run "sns list-topics" aws_ sns list-topics) && contains "sns list-topics" "$T" "$out"
    out=$(run "sns publish" aws_ sns publish --topic-arn "$T" --message hi) && contains "sns publish MessageId" "MessageId" "$out"
    run "sns delete-topic" aws_ sns delete-topic --topic-arn "$T" >/dev/null && ok "sns delete-topic"
  }
fi

if serves sts; then
  out=$(run "sts get-caller-identity" aws_ sts get-caller-identity) && {
    check "sts get-caller-identity Account" "000000000000" "$(jq_ 'd["Account"]' <<<"$out")"
    contains "sts get-caller-identity Arn" "arn:aws:" "$(jq_ 'd["Arn"]' <<<"$out")"
  }
fi

if serves dynamodb; then
  TB=cli-t-$RANDOM
  out=$(run "dynamodb create-table" aws_ dynamodb create-table --table-name "$TB" \
    --attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH \
    --billing-mode PAY_PER_REQUEST) && check "dynamodb create-table" "$TB" "$(jq_ 'd["TableDescription"]["TableName"]' <<<"$out")"
  run "dynamodb put-item" aws_ dynamodb put-item --table-name "$TB" --item '{"pk":{"S":"a"},"n":{"N":"7"}}' >/dev/null && ok "dynamodb put-item"
  out=$(run "dynamodb get-item" aws_ dynamodb get-item --table-name "$TB" --key '{"pk":{"S":"a"}}') &&
    check "dynamodb get-item" "7" "$(jq_ 'd["Item"]["n"]["N"]' <<<"$out")"
  out=$(run "dynamodb scan" aws_ dynamodb scan --table-name "$TB") && check "dynamodb scan Count" "1" "$(jq_ 'd["Count"]' <<<"$out")"
  run "dynamodb delete-table" aws_ dynamodb delete-table --table-name "$TB" >/dev/null && ok "dynamodb delete-table"
fi

echo "interop cli $VERSION: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
