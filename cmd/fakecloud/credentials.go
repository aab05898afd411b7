package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/awsconfig"
)

// readCredentials reads the --credentials file of `serve --verify-signatures`
// in any of three formats, detected from its content:
//
//   - the AWS shared credentials file (INI, as ~/.aws/credentials): every
//     section with aws_access_key_id and aws_secret_access_key is a key; an
//     aws_session_token must then be sent with requests signed by it;
//   - a JSON object of access key id to secret access key:
//     {"AKIDEXAMPLE": "secret", ...};
//   - lines of "ACCESS_KEY_ID SECRET_ACCESS_KEY" ('#' starts a comment line).
func readCredentials(path string) (emulator.CredentialsFunc, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("--credentials: %w", err)
	}
	m := map[string]emulator.Credentials{}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '{':
		var secrets map[string]string
		if err := json.Unmarshal(trimmed, &secrets); err != nil {
			return nil, 0, fmt.Errorf("--credentials %s: want a JSON object of access key id to secret: %w", path, err)
		}
		for k, v := range secrets {
			m[k] = emulator.Credentials{AccessKeyID: k, SecretAccessKey: v}
		}
	case isINI(data):
		cfg, err := awsconfig.LoadFiles(awsconfig.Options{CredentialsFile: path, ConfigFile: os.DevNull, Env: awsconfig.MapEnv(nil)})
		if err != nil {
			return nil, 0, fmt.Errorf("--credentials %s: %w", path, err)
		}
		for _, name := range cfg.Profiles() {
			p := cfg.Profile(name)
			id, _ := p.Get("aws_access_key_id")
			secret, _ := p.Get("aws_secret_access_key")
			if id == "" || secret == "" {
				continue
			}
			token, _ := p.Get("aws_session_token")
			m[id] = emulator.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}
		}
	default:
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Fields(line)
			if len(fields) != 2 {
				return nil, 0, fmt.Errorf("--credentials %s:%d: want 'ACCESS_KEY_ID SECRET_ACCESS_KEY'", path, n)
			}
			m[fields[0]] = emulator.Credentials{AccessKeyID: fields[0], SecretAccessKey: fields[1]}
		}
		if err := sc.Err(); err != nil {
			return nil, 0, fmt.Errorf("--credentials %s: %w", path, err)
		}
	}
	if len(m) == 0 {
		return nil, 0, fmt.Errorf("--credentials %s: no credentials found", path)
	}
	return func(_ context.Context, id string) (emulator.Credentials, bool) {
		c, ok := m[id]
		return c, ok
	}, len(m), nil
}

// isINI reports whether data has a "[section]" line.
func isINI(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			return true
		}
	}
	return false
}
