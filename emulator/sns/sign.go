package sns

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/emulator/store"
)

// SNS signs every HTTP(S) and SQS-envelope message with its RSA key; the
// receiver fetches the certificate from SigningCertURL and checks the
// signature of a canonical string of the message's fields. The emulator has
// one such key per state (kept in the store, so snapshots and a persistent
// DataPath keep it and reset makes a new one), with a self-signed
// certificate. The key is random: Go's crypto ignores a custom random
// source since 1.24, so it cannot come from the emulator's seed.

const (
	signingAccount = "global"
	signingRegion  = "aws-global"
	signingBucket  = "signing"
)

type signer struct {
	key     *rsa.PrivateKey
	certPEM []byte
	name    string // SimpleNotificationService-<sha256 of the certificate>.pem
}

var signerMu sync.Mutex // serializes first creation within this process

func signingStore(svcs emulator.Services) *store.NS {
	return svcs.Store(signingAccount, signingRegion, "sns")
}

type storedKey struct {
	Key  []byte `json:"key"`  // PKCS#1 DER
	Cert []byte `json:"cert"` // DER
}

// certPath is where the emulator serves its certificate: under the control
// namespace (ServiceDef.Public), where no S3 path-style bucket/key can be
// (AWS serves it at /SimpleNotificationService-<hash>.pem on the regional
// SNS host, a path an emulator serving S3 on the same port cannot claim).
const certPath = emulator.ControlPrefix + "sns/"

// serveCert answers GET/HEAD of SigningCertURL with the PEM certificate, to
// any caller: it is what an SDK's message validator fetches. Only the
// current certificate's name is served; a URL from before a reset is 404.
// It never creates a key (a GET before any publish finds none).
func serveCert(ctx context.Context, req *emulator.Request, w http.ResponseWriter) error {
	name, ok := strings.CutPrefix(req.HTTP.URL.Path, certPath)
	if !ok || !strings.HasPrefix(name, "SimpleNotificationService-") {
		return emulator.ErrNotHandled
	}
	s, err := loadSigner(req.Services())
	if err != nil {
		return err
	}
	if s == nil || s.name != name {
		return emulator.ErrNotHandled
	}
	w.Header().Set("Content-Type", "application/x-x509-ca-cert")
	w.Header().Set("Content-Length", strconv.Itoa(len(s.certPEM)))
	w.WriteHeader(http.StatusOK)
	if req.HTTP.Method != http.MethodHead {
		_, err = w.Write(s.certPEM)
	}
	return err
}

// loadSigner returns the stored signing key, or nil when none was made yet.
// It is a read-only transaction and, for a key seen before, no parse.
func loadSigner(svcs emulator.Services) (*signer, error) {
	var s *signer
	err := signingStore(svcs).View(func(tx *store.Tx) error {
		b := tx.Bucket(signingBucket)
		if b == nil {
			return nil
		}
		var err error
		s, err = cachedSigner(b.Get("key"))
		return err
	})
	return s, err
}

// signerFor returns the emulator's signing key, making it on first use.
func signerFor(svcs emulator.Services, now time.Time) (*signer, error) {
	if s, err := loadSigner(svcs); err != nil || s != nil {
		return s, err
	}
	signerMu.Lock()
	defer signerMu.Unlock()
	var s *signer
	ns := signingStore(svcs)
	err := ns.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists(signingBucket)
		if err != nil {
			return err
		}
		if raw := b.Get("key"); raw != nil { // made since loadSigner looked
			s, err = cachedSigner(raw)
			return err
		}
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(now.UnixNano()),
			Subject:      pkix.Name{CommonName: "sns.amazonaws.com"},
			DNSNames:     []string{"sns.amazonaws.com"},
			NotBefore:    now.Add(-24 * time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			return err
		}
		sk := storedKey{Key: x509.MarshalPKCS1PrivateKey(key), Cert: der}
		if s, err = parseSigner(sk); err != nil {
			return err
		}
		return b.PutJSON("key", &sk)
	})
	if err != nil {
		return nil, fmt.Errorf("sns signing key: %w", err)
	}
	return s, nil
}

// The parsed signers, keyed by the stored record's exact bytes. Parsing a
// 2048-bit key (and re-reading it in a write transaction) on every publish
// cost more than the publish; keying by content rather than by emulator or
// namespace keeps the cache right across reset, restore and several
// emulators in one process without any invalidation hook: a new key is
// new bytes, a restored old key is the old bytes. Bounded: past
// maxCachedSigners distinct keys (one per reset that published) it starts
// over.
var (
	signerCacheMu sync.RWMutex
	signerCache   = map[string]*signer{}
)

const maxCachedSigners = 64

// cachedSigner parses a stored key record, or returns the signer parsed
// from the same bytes before; nil raw is no key (nil, nil).
func cachedSigner(raw []byte) (*signer, error) {
	if raw == nil {
		return nil, nil
	}
	signerCacheMu.RLock()
	s := signerCache[string(raw)]
	signerCacheMu.RUnlock()
	if s != nil {
		return s, nil
	}
	var sk storedKey
	if err := json.Unmarshal(raw, &sk); err != nil {
		return nil, fmt.Errorf("sns signing key: %w", err)
	}
	s, err := parseSigner(sk)
	if err != nil {
		return nil, err
	}
	signerCacheMu.Lock()
	if len(signerCache) >= maxCachedSigners {
		clear(signerCache)
	}
	signerCache[string(raw)] = s
	signerCacheMu.Unlock()
	return s, nil
}

func parseSigner(sk storedKey) (*signer, error) {
	key, err := x509.ParsePKCS1PrivateKey(sk.Key)
	if err != nil {
		return nil, fmt.Errorf("sns signing key: %w", err)
	}
	sum := sha256.Sum256(sk.Cert)
	return &signer{key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: sk.Cert}),
		name: "SimpleNotificationService-" + hex.EncodeToString(sum[:16]) + ".pem"}, nil
}

// stringToSign is SNS's canonical form: "Name\nvalue\n" for each signed
// field in this order, Subject only when present; confirmation messages
// sign SubscribeURL and Token instead of Subject.
func stringToSign(e *envelope) string {
	var b strings.Builder
	add := func(k, v string) { b.WriteString(k + "\n" + v + "\n") }
	add("Message", e.Message)
	add("MessageId", e.MessageID)
	if e.Type == "Notification" {
		if e.Subject != "" {
			add("Subject", e.Subject)
		}
	} else {
		add("SubscribeURL", e.SubscribeURL)
	}
	add("Timestamp", e.Timestamp)
	if e.Type != "Notification" {
		add("Token", e.Token)
	}
	add("TopicArn", e.TopicArn)
	add("Type", e.Type)
	return b.String()
}

// sign fills e's SignatureVersion, Signature and SigningCertURL: version
// "1" signs SHA1withRSA, "2" SHA256withRSA (the topic's SignatureVersion).
func sign(req *emulator.Request, e *envelope, version string) { signMemo(req, e, version, nil) }

// sigMemo remembers the signatures made for one publish. Every subscriber
// of a publish gets the same signed fields (MessageId, Message, Subject,
// Timestamp, TopicArn, Type; the UnsubscribeURL is not signed), and
// PKCS#1 v1.5 signatures are deterministic, so a fan-out signs each
// distinct text once instead of once per subscriber (an RSA-2048 signature
// is ~1.5 ms, most of a fan-out's cost).
type sigMemo struct {
	mu   sync.Mutex
	key  *signer
	sigs map[string]string // version + "\n" + string to sign -> base64 signature
}

func signMemo(req *emulator.Request, e *envelope, version string, memo *sigMemo) {
	if version != "2" {
		version = "1"
	}
	e.SignatureVersion = version
	s, err := signerFor(req.Services(), req.Clock.Now())
	if err != nil {
		return // an unsigned message rather than none
	}
	e.SigningCertURL = endpointBase(req) + certPath + s.name
	msg := stringToSign(e)
	if memo != nil {
		memo.mu.Lock()
		defer memo.mu.Unlock()
		if memo.key == s {
			if sig, ok := memo.sigs[version+"\n"+msg]; ok {
				e.Signature = sig
				return
			}
		} else {
			memo.key, memo.sigs = s, nil
		}
	}
	var sig []byte
	if version == "2" {
		h := sha256.Sum256([]byte(msg))
		sig, err = rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, h[:])
	} else {
		h := sha1.Sum([]byte(msg))
		sig, err = rsa.SignPKCS1v15(nil, s.key, crypto.SHA1, h[:])
	}
	if err == nil {
		e.Signature = base64.StdEncoding.EncodeToString(sig)
		if memo != nil {
			if memo.sigs == nil {
				memo.sigs = map[string]string{}
			}
			memo.sigs[version+"\n"+msg] = e.Signature
		}
	}
}
