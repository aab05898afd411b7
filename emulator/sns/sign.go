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
func loadSigner(svcs emulator.Services) (*signer, error) {
	var sk storedKey
	var ok bool
	err := signingStore(svcs).View(func(tx *store.Tx) error {
		b := tx.Bucket(signingBucket)
		if b == nil {
			return nil
		}
		var err error
		ok, err = b.GetJSON("key", &sk)
		return err
	})
	if err != nil || !ok {
		return nil, err
	}
	return parseSigner(sk)
}

// signerFor returns the emulator's signing key, making it on first use.
func signerFor(svcs emulator.Services, now time.Time) (*signer, error) {
	signerMu.Lock()
	defer signerMu.Unlock()
	var sk storedKey
	ns := signingStore(svcs)
	err := ns.Update(func(tx *store.Tx) error {
		b, err := tx.CreateBucketIfNotExists(signingBucket)
		if err != nil {
			return err
		}
		if ok, err := b.GetJSON("key", &sk); err != nil || ok {
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
		sk = storedKey{Key: x509.MarshalPKCS1PrivateKey(key), Cert: der}
		return b.PutJSON("key", &sk)
	})
	if err != nil {
		return nil, fmt.Errorf("sns signing key: %w", err)
	}
	return parseSigner(sk)
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
func sign(req *emulator.Request, e *envelope, version string) {
	if version != "2" {
		version = "1"
	}
	e.SignatureVersion = version
	s, err := signerFor(req.Services(), req.Clock.Now())
	if err != nil {
		return // an unsigned message rather than none
	}
	e.SigningCertURL = endpointBase(req) + certPath + s.name
	msg := []byte(stringToSign(e))
	var sig []byte
	if version == "2" {
		h := sha256.Sum256(msg)
		sig, err = rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, h[:])
	} else {
		h := sha1.Sum(msg)
		sig, err = rsa.SignPKCS1v15(nil, s.key, crypto.SHA1, h[:])
	}
	if err == nil {
		e.Signature = base64.StdEncoding.EncodeToString(sig)
	}
}
