package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/fakecloud/fakecloud/recorder"
)

// errFindings makes `fakecloud cassette check` exit non-zero without an
// extra error line: the findings were already printed.
var errFindings = errors.New("secrets found")

// cassetteCmd runs the cassette tools:
//
//	fakecloud cassette show FILE       table of interactions (recorder.Show)
//	fakecloud cassette check FILES...  secret scan (recorder.Check); exit 1 on any finding,
//	                                   so it works as a pre-commit hook
func cassetteCmd(args []string, stdout, stderr io.Writer) error {
	const usage = "usage: fakecloud cassette show FILE | fakecloud cassette check FILE|DIR..."
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "show":
		if len(args) != 2 {
			return errors.New("usage: fakecloud cassette show FILE")
		}
		return recorder.Show(stdout, args[1])
	case "check":
		if len(args) < 2 {
			return errors.New("usage: fakecloud cassette check FILE|DIR...")
		}
		findings, err := recorder.Check(args[1:]...)
		for _, f := range findings {
			fmt.Fprintln(stdout, f)
		}
		if err != nil {
			return err
		}
		if len(findings) > 0 {
			fmt.Fprintf(stderr, "fakecloud: %d secret-looking value(s) in cassettes; redact them (recorder.RedactFields, RedactHook) and re-record\n", len(findings))
			return errFindings
		}
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown cassette command %q\n%s", args[0], usage)
}
