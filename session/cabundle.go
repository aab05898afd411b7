package session

import (
	"crypto/x509"
	"fmt"
	"os"
)

func loadCABundle(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("session: ca bundle: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("session: ca bundle %s: no PEM certificates", path)
	}
	return pool, nil
}
