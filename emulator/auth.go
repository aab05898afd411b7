package emulator

import (
	"context"
	"errors"
	"net/http"
	"regexp"

	"github.com/fakecloud/fakecloud/internal/model"
	"github.com/fakecloud/fakecloud/internal/protocol"
	"github.com/fakecloud/fakecloud/internal/sigv4"
)

// Credentials are the secret an access key id signs with, as the emulator
// knows it for signature verification.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken, when set, must be the request's X-Amz-Security-Token
	// (temporary credentials).
	SessionToken string
	// Account, when set, is the account requests signed with this key act
	// in (temporary credentials of a role in another account), overriding
	// the 12-digit access key rule.
	Account string
}

// CredentialsFunc looks up the credentials of an access key id; ok is false
// for a key it does not know.
type CredentialsFunc func(ctx context.Context, accessKeyID string) (creds Credentials, ok bool)

// CredentialSourceFunc is a service's credential lookup (ServiceDef.Credentials):
// the STS emulator answers for the temporary credentials it issued, reading
// its own state through svcs.Store.
type CredentialSourceFunc func(ctx context.Context, svcs Services, accessKeyID string) (creds Credentials, ok bool)

var twelveDigits = regexp.MustCompile(`^[0-9]{12}$`)

// lookupCredentials asks, in order, Options.Credentials, Options.CredentialsLookup
// and every served service's Credentials source.
func (e *Emulator) lookupCredentials(ctx context.Context, accessKeyID string) (Credentials, bool) {
	if secret, ok := e.opts.Credentials[accessKeyID]; ok {
		return Credentials{AccessKeyID: accessKeyID, SecretAccessKey: secret}, true
	}
	if e.opts.CredentialsLookup != nil {
		if c, ok := e.opts.CredentialsLookup(ctx, accessKeyID); ok {
			if c.AccessKeyID == "" {
				c.AccessKeyID = accessKeyID
			}
			return c, true
		}
	}
	for _, src := range e.credSources {
		if c, ok := src(ctx, e, accessKeyID); ok {
			if c.AccessKeyID == "" {
				c.AccessKeyID = accessKeyID
			}
			return c, true
		}
	}
	return Credentials{}, false
}

// accountFor maps an access key to an account: credentials that name their
// account win; a 12-digit key id is that account (LocalStack's convention);
// anything else, and anonymous requests, the default account.
func (e *Emulator) accountFor(ctx context.Context, accessKey string, known *Credentials) string {
	if known != nil && known.Account != "" {
		return known.Account
	}
	if twelveDigits.MatchString(accessKey) {
		return accessKey
	}
	if accessKey != "" && known == nil && (e.opts.CredentialsLookup != nil || len(e.credSources) > 0) {
		if c, ok := e.lookupCredentials(ctx, accessKey); ok && c.Account != "" {
			return c.Account
		}
	}
	return e.opts.DefaultAccount
}

// flavorOf picks how a service spells authentication errors: S3's own
// codes, the query services' InvalidClientTokenId family (403), or the json
// services' UnrecognizedClientException family (400).
func flavorOf(svc *model.Service, proto string) sigv4.Flavor {
	if svc.Metadata.EndpointPrefix == "s3" || sigv4.IsS3Service(svc.Metadata.ResolvedSigningName()) {
		return sigv4.FlavorS3
	}
	switch proto {
	case "json", "rest-json":
		return sigv4.FlavorJSON
	}
	return sigv4.FlavorQuery
}

// authenticate verifies r's signature when Options.VerifySignatures is set.
// path is the path-style path of an S3 virtual-host request (SigV2 signs
// the bucket in its canonical resource), "" otherwise. On success it returns
// the verified authentication (its signing key checks aws-chunked chunk
// signatures) and the credentials that signed it.
func (e *Emulator) authenticate(r *http.Request, path string, flavor sigv4.Flavor) (*sigv4.Auth, *Credentials, *protocol.APIError) {
	var found *Credentials
	lookup := func(akid string) (sigv4.Credentials, bool) {
		c, ok := e.lookupCredentials(r.Context(), akid)
		if !ok {
			return sigv4.Credentials{}, false
		}
		found = &c
		return sigv4.Credentials{AccessKeyID: akid, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, true
	}
	r.GetBody = nil // a server request's body is what arrived, never a client's copy
	vr := r
	if path != "" {
		if a, err := sigv4.ParseAuthorization(r); err == nil && (a.Scheme == sigv4.SchemeV2Header || a.Scheme == sigv4.SchemeV2Query) {
			vr = r.Clone(r.Context())
			u := *r.URL
			u.RawPath, u.Path = path, unescapePath(path)
			vr.URL = &u
			vr.RequestURI = path
			if u.RawQuery != "" {
				vr.RequestURI += "?" + u.RawQuery
			}
		}
	}
	auth, err := sigv4.Verify(vr, lookup, e.clock.Now())
	if vr != r {
		r.Body = vr.Body
	}
	if err != nil {
		if ae := authError(err, flavor); ae != nil {
			return nil, nil, ae
		}
		// Not an authentication verdict: the body could not be read to hash it.
		if tooLarge(err) {
			return nil, nil, e.tooLarge(flavor)
		}
		return nil, nil, protocol.NewError("IncompleteBody", http.StatusBadRequest, "reading the request body: %v", err)
	}
	if found != nil && found.SessionToken != "" && auth.SecurityToken != found.SessionToken {
		if flavor == sigv4.FlavorS3 {
			return nil, nil, protocol.NewError("InvalidToken", http.StatusBadRequest, "The provided token is malformed or otherwise invalid.")
		}
		return nil, nil, authError(&sigv4.Error{Kind: sigv4.KindUnknownAccessKey, AccessKeyID: auth.AccessKeyID}, flavor)
	}
	return auth, found, nil
}

// authError turns a sigv4 failure (of Verify, a content hash check or an
// aws-chunked body) into the error the service answers with. S3's
// SignatureDoesNotMatch carries the string to sign and canonical request,
// as S3 does, so a client author can see what differed.
func authError(err error, flavor sigv4.Flavor) *protocol.APIError {
	var se *sigv4.Error
	if errors.As(err, &se) {
		code, status, msg := se.AWS(flavor)
		ae := protocol.NewError(code, status, "%s", msg)
		if flavor == sigv4.FlavorS3 {
			ae.Fields = map[string]any{}
			if se.AccessKeyID != "" && (code == "SignatureDoesNotMatch" || code == "InvalidAccessKeyId") {
				ae.Fields["AWSAccessKeyId"] = se.AccessKeyID
			}
			if code == "SignatureDoesNotMatch" {
				if se.StringToSign != "" {
					ae.Fields["StringToSign"] = se.StringToSign
				}
				if se.SignatureProvided != "" {
					ae.Fields["SignatureProvided"] = se.SignatureProvided
				}
				if se.CanonicalRequest != "" {
					ae.Fields["CanonicalRequest"] = se.CanonicalRequest
				}
			}
			if code == "RequestTimeTooSkewed" {
				ae.Fields["RequestTime"] = se.RequestTime.Format(sigv4.TimeFormat)
				ae.Fields["ServerTime"] = se.ServerTime.Format("2006-01-02T15:04:05Z")
			}
			if len(ae.Fields) == 0 {
				ae.Fields = nil
			}
		}
		return ae
	}
	var ce *sigv4.ChunkError
	if errors.As(err, &ce) {
		code, status, msg := ce.AWS()
		ae := protocol.NewError(code, status, "%s", msg)
		ae.Fields = ce.Fields() // Chunk, BadChunkSize of InvalidChunkSizeError
		return ae
	}
	return nil
}
