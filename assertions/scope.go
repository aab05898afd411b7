package assertions

import (
	"context"
	"fmt"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/fixtures"
	"github.com/google/go-cmp/cmp"
)

// Option places a helper's checks in an account or region other than
// fixtures.DefaultAccount and fixtures.DefaultRegion. It is an option
// value: pass it among a helper's trailing arguments, whether they are
// msgAndArgs ...any or opts ...cmp.Option:
//
//	assertions.S3ObjectExists(t, emu, "b", "k", assertions.InAccount("111122223333"))
//	assertions.SQSQueueDepth(t, emu, "q", 2, assertions.InRegion("eu-west-1"))
//	assertions.DynamoDBItemEquals(t, emu, "tbl", key, want, assertions.InRegion("eu-west-1"), cmpopts.EquateEmpty())
//
// Helpers that call the emulator's APIs (S3*, DynamoDB*, SQS*, SNSDelivered,
// SecretEquals, ParameterEquals) read that account and region; journal
// helpers (OperationCalledWith, NoCallsTo, SNSPublished) then count only
// requests signed for it (without the option they count every account and
// region); StateMatches loads the want file's unnamed scopes there.
// The helpers take Options out before comparing: an Option given to go-cmp
// itself makes it panic.
type Option interface {
	cmp.Option
	applyScope(*where)
}

// InAccount is the Option for a 12-digit account id.
func InAccount(id string) Option { return scopeOption{account: id} }

// InRegion is the Option for a region.
func InRegion(region string) Option { return scopeOption{region: region} }

// cmpOptionCarrier lets an Option travel in opts ...cmp.Option; it is
// always nil, and Options never reach go-cmp.
type cmpOptionCarrier struct{ cmp.Option }

type scopeOption struct {
	cmpOptionCarrier
	account string
	region  string
}

func (o scopeOption) applyScope(w *where) {
	if o.account != "" {
		w.account = o.account
	}
	if o.region != "" {
		w.region = o.region
	}
}

func (o scopeOption) String() string {
	if o.account != "" {
		return fmt.Sprintf("assertions.InAccount(%q)", o.account)
	}
	return fmt.Sprintf("assertions.InRegion(%q)", o.region)
}

// where is the account and region a helper looks in; "" for the default
// (every account or region, for the journal).
type where struct {
	account, region string
	exact           bool // StateMatches: ExactState
}

// whereOf takes the Options out of a helper's trailing arguments.
func whereOf[T any](args []T) (where, []T) {
	var w where
	var rest []T
	for i, a := range args {
		o, ok := any(a).(Option)
		if !ok {
			if rest != nil {
				rest = append(rest, a)
			}
			continue
		}
		if rest == nil {
			rest = append(make([]T, 0, len(args)), args[:i]...)
		}
		o.applyScope(&w)
	}
	if rest == nil {
		return w, args
	}
	return w, rest
}

func (w where) acct() string {
	if w.account != "" {
		return w.account
	}
	return fixtures.DefaultAccount
}

func (w where) reg() string {
	if w.region != "" {
		return w.region
	}
	return fixtures.DefaultRegion
}

// in says where the checks ran, for failure messages: "" for the defaults.
func (w where) in() string {
	if w.account == "" && w.region == "" {
		return ""
	}
	return fmt.Sprintf(" (in %s/%s)", w.acct(), w.reg())
}

// journaled reports whether a journal entry was made in w (every entry
// when w names nothing).
func (w where) journaled(e emulator.JournalEntry) bool {
	return (w.account == "" || e.Account == w.account) && (w.region == "" || e.Region == w.region)
}

func (w where) call(emu *emulator.Emulator, svc, op string, in map[string]any) (map[string]any, error) {
	return emu.Call(context.Background(), w.acct(), w.reg(), svc, op, in)
}

func (w where) loadOptions() []fixtures.Option {
	var opts []fixtures.Option
	if w.account != "" {
		opts = append(opts, fixtures.InAccount(w.account))
	}
	if w.region != "" {
		opts = append(opts, fixtures.InRegion(w.region))
	}
	return opts
}
