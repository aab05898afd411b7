package secretsmanager

import (
	"context"
	"strings"

	"github.com/fakecloud/fakecloud/emulator"
)

const punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// getRandomPassword draws from the seeded id source, so passwords are
// reproducible for a seed.
func getRandomPassword(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	length := int64(32)
	if n, ok := integer(in, "PasswordLength"); ok {
		if n < 1 || n > 4096 {
			return nil, errInvalidParameter("PasswordLength must be between 1 and 4096.")
		}
		length = n
	}
	flag := func(k string) bool { b, _ := boolean(in, k); return b }
	require := true
	if b, ok := boolean(in, "RequireEachIncludedType"); ok {
		require = b
	}
	exclude := str(in, "ExcludeCharacters")
	keep := func(set string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(exclude, r) {
				return -1
			}
			return r
		}, set)
	}
	var classes []string
	for _, c := range []struct {
		skip bool
		set  string
	}{
		{flag("ExcludeLowercase"), "abcdefghijklmnopqrstuvwxyz"},
		{flag("ExcludeUppercase"), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
		{flag("ExcludeNumbers"), "0123456789"},
		{flag("ExcludePunctuation"), punctuation},
		{!flag("IncludeSpace"), " "},
	} {
		if s := keep(c.set); !c.skip && s != "" {
			classes = append(classes, s)
		}
	}
	if len(classes) == 0 {
		return nil, errInvalidParameter("You excluded every character type; the password would be empty.")
	}
	if require && int(length) < len(classes) {
		return nil, errInvalidParameter("The password length is too short to include a character of each included type.")
	}
	all := strings.Join(classes, "")
	// Draw until every required class is present; bounded so no input can
	// spin forever (each try succeeds with high probability).
	for try := 0; try < 1000; try++ {
		b := req.IDs.Bytes(int(length) * 2)
		pw := make([]byte, length)
		for i := range pw {
			pw[i] = all[(int(b[2*i])<<8|int(b[2*i+1]))%len(all)]
		}
		if !require || hasEach(string(pw), classes) {
			return map[string]any{"RandomPassword": string(pw)}, nil
		}
		if try > 100 {
			// Force one of each class into the first positions.
			for i, c := range classes {
				pw[i] = c[int(b[i])%len(c)]
			}
			return map[string]any{"RandomPassword": string(pw)}, nil
		}
	}
	return nil, errInvalidParameter("could not generate a password")
}

func hasEach(pw string, classes []string) bool {
	for _, c := range classes {
		if !strings.ContainsAny(pw, c) {
			return false
		}
	}
	return true
}
