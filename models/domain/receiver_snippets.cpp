#include "receiver_snippets.h"

namespace {

const char *const PythonStandard =
    R"(# Verifies Standard Webhooks signatures from Webhook Admin (Python 3.9+).
# The secret comes from the environment: export WEBHOOK_SECRET='whsec_...'
import base64, hashlib, hmac, os, time

TOLERANCE_SECONDS = 5 * 60


def verify(headers, raw_body: bytes) -> bool:
    """headers: lower-case names. raw_body: the bytes exactly as received;
    verify the RAW body, never json.dumps(json.loads(...)) of it."""
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (msg_id and timestamp.isdigit() and signatures):
        return False
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False  # too old or from the future: a replay
    key = base64.b64decode(os.environ["WEBHOOK_SECRET"].removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + raw_body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # While a secret is rotated the header holds several "v1,<signature>" entries.
    return any(hmac.compare_digest(entry[3:], expected)
               for entry in signatures.split() if entry.startswith("v1,"))


if __name__ == "__main__":
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            raw_body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.send_response(204 if verify(headers, raw_body) else 401)
            self.end_headers()

    HTTPServer(("127.0.0.1", 8000), Receiver).serve_forever()
)";

const char *const PythonGitHub =
    R"(# Verifies X-Hub-Signature-256 (GitHub's scheme) from Webhook Admin (Python 3).
# The secret comes from the environment: export WEBHOOK_SECRET='...'
import hashlib, hmac, os


def verify(headers, raw_body: bytes) -> bool:
    """headers: lower-case names. raw_body: the bytes exactly as received;
    verify the RAW body, never json.dumps(json.loads(...)) of it.
    This scheme signs no timestamp: drop repeats by their webhook-id."""
    received = headers.get("x-hub-signature-256", "")
    secret = os.environ["WEBHOOK_SECRET"].encode()
    expected = "sha256=" + hmac.new(secret, raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(received.lower(), expected)


if __name__ == "__main__":
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            raw_body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            self.send_response(204 if verify(headers, raw_body) else 401)
            self.end_headers()

    HTTPServer(("127.0.0.1", 8000), Receiver).serve_forever()
)";

const char *const NodeStandard =
    R"(// Verifies Standard Webhooks signatures from Webhook Admin (Node.js 16+, no packages).
// The secret comes from the environment: export WEBHOOK_SECRET='whsec_...'
const crypto = require("node:crypto");
const http = require("node:http");

const TOLERANCE_SECONDS = 5 * 60;

// headers: lower-case names, as Node gives them. rawBody: a Buffer of the bytes
// exactly as received; verify the RAW body, never JSON.stringify(JSON.parse(...)).
function verify(headers, rawBody) {
  const id = headers["webhook-id"] ?? "";
  const timestamp = headers["webhook-timestamp"] ?? "";
  const signatures = headers["webhook-signature"] ?? "";
  if (!id || !/^\d+$/.test(timestamp) || !signatures) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS)
    return false; // too old or from the future: a replay
  const key = Buffer.from(process.env.WEBHOOK_SECRET.replace(/^whsec_/, ""), "base64");
  const expected = Buffer.from(crypto.createHmac("sha256", key)
    .update(`${id}.${timestamp}.`).update(rawBody).digest("base64"));
  // While a secret is rotated the header holds several "v1,<signature>" entries.
  return signatures.split(" ").some((entry) => {
    const received = Buffer.from(entry.startsWith("v1,") ? entry.slice(3) : "");
    return received.length === expected.length && crypto.timingSafeEqual(received, expected);
  });
}

module.exports = { verify };

if (require.main === module) {
  http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      response.statusCode = verify(request.headers, Buffer.concat(chunks)) ? 204 : 401;
      response.end();
    });
  }).listen(8000, "127.0.0.1");
}
)";

const char *const NodeGitHub =
    R"(// Verifies X-Hub-Signature-256 (GitHub's scheme) from Webhook Admin (Node.js 16+).
// The secret comes from the environment: export WEBHOOK_SECRET='...'
const crypto = require("node:crypto");
const http = require("node:http");

// headers: lower-case names, as Node gives them. rawBody: a Buffer of the bytes
// exactly as received; verify the RAW body, never JSON.stringify(JSON.parse(...)).
// This scheme signs no timestamp: drop repeats by their webhook-id.
function verify(headers, rawBody) {
  const received = Buffer.from((headers["x-hub-signature-256"] ?? "").toLowerCase());
  const expected = Buffer.from("sha256=" + crypto.createHmac("sha256", process.env.WEBHOOK_SECRET)
    .update(rawBody).digest("hex"));
  return received.length === expected.length && crypto.timingSafeEqual(received, expected);
}

module.exports = { verify };

if (require.main === module) {
  http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      response.statusCode = verify(request.headers, Buffer.concat(chunks)) ? 204 : 401;
      response.end();
    });
  }).listen(8000, "127.0.0.1");
}
)";

const char *const GoStandard =
    R"(// Verifies Standard Webhooks signatures from Webhook Admin (Go, standard library).
// The secret comes from the environment: export WEBHOOK_SECRET='whsec_...'
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

const toleranceSeconds = 5 * 60

// verify checks the RAW body exactly as received: decoding and re-encoding
// the JSON changes the bytes and breaks the signature.
func verify(header http.Header, rawBody []byte) bool {
	id := header.Get("webhook-id")
	timestamp := header.Get("webhook-timestamp")
	signatures := header.Get("webhook-signature")
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if id == "" || signatures == "" || err != nil {
		return false
	}
	if age := time.Now().Unix() - seconds; age > toleranceSeconds || age < -toleranceSeconds {
		return false // too old or from the future: a replay
	}
	key, err := base64.StdEncoding.DecodeString(
		strings.TrimPrefix(os.Getenv("WEBHOOK_SECRET"), "whsec_"))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(rawBody)
	expected := []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	// While a secret is rotated the header holds several "v1,<signature>" entries.
	for _, entry := range strings.Fields(signatures) {
		if strings.HasPrefix(entry, "v1,") && hmac.Equal([]byte(entry[3:]), expected) {
			return true
		}
	}
	return false
}

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rawBody, err := io.ReadAll(r.Body)
		if err != nil || !verify(r.Header, rawBody) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	http.ListenAndServe("127.0.0.1:8000", nil)
}
)";

const char *const GoGitHub =
    R"(// Verifies X-Hub-Signature-256 (GitHub's scheme) from Webhook Admin (Go, standard library).
// The secret comes from the environment: export WEBHOOK_SECRET='...'
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"strings"
)

// verify checks the RAW body exactly as received: decoding and re-encoding
// the JSON changes the bytes and breaks the signature. This scheme signs no
// timestamp: drop repeats by their webhook-id.
func verify(header http.Header, rawBody []byte) bool {
	mac := hmac.New(sha256.New, []byte(os.Getenv("WEBHOOK_SECRET")))
	mac.Write(rawBody)
	expected := []byte("sha256=" + hex.EncodeToString(mac.Sum(nil)))
	received := []byte(strings.ToLower(header.Get("X-Hub-Signature-256")))
	return hmac.Equal(received, expected)
}

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rawBody, err := io.ReadAll(r.Body)
		if err != nil || !verify(r.Header, rawBody) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	http.ListenAndServe("127.0.0.1:8000", nil)
}
)";

} // namespace

QList<ReceiverSnippets::Language> ReceiverSnippets::languages()
{
    return {Language::Python, Language::NodeJs, Language::Go};
}

QString ReceiverSnippets::languageName(Language language)
{
    switch (language) {
    case Language::Python:
        return QStringLiteral("Python");
    case Language::NodeJs:
        return QStringLiteral("Node.js");
    case Language::Go:
        return QStringLiteral("Go");
    }
    return {};
}

QString ReceiverSnippets::snippet(SignatureScheme scheme, Language language)
{
    const bool github = scheme == SignatureScheme::GitHub;
    if (scheme == SignatureScheme::None)
        return {};
    switch (language) {
    case Language::Python:
        return QString::fromUtf8(github ? PythonGitHub : PythonStandard);
    case Language::NodeJs:
        return QString::fromUtf8(github ? NodeGitHub : NodeStandard);
    case Language::Go:
        return QString::fromUtf8(github ? GoGitHub : GoStandard);
    }
    return {};
}
