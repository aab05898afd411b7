package secretsmanager

import (
	"context"
	"errors"
	"sync"

	"github.com/fakecloud/fakecloud/emulator"
	"github.com/fakecloud/fakecloud/internal/protocol"
)

// RotationRequest is one step of a rotation, as a rotation Lambda receives
// it, plus Call to reach the emulator's Secrets Manager (PutSecretValue with
// AWSPENDING in createSecret, UpdateSecretVersionStage in finishSecret ...).
type RotationRequest struct {
	Step               string // createSecret, setSecret, testSecret, finishSecret
	SecretID           string // the secret's ARN
	ClientRequestToken string // the new version's id
	RotationLambdaARN  string
	Call               func(ctx context.Context, operation string, input map[string]any) (map[string]any, error)
}

// RotationHook plays the rotation Lambda in-process. An error stops the
// rotation, and RotateSecret fails with it.
type RotationHook func(ctx context.Context, r RotationRequest) error

var (
	hookMu sync.RWMutex
	hook   RotationHook
)

// SetRotationHook installs the function RotateSecret runs for the four
// rotation steps (nil removes it) and returns the previous one. Without a
// hook RotateSecret records the rotation configuration and creates no
// version. The hook is process-wide: tests that set it must not run in
// parallel with other rotation tests.
func SetRotationHook(h RotationHook) RotationHook {
	hookMu.Lock()
	defer hookMu.Unlock()
	old := hook
	hook = h
	return old
}

func rotateSecret(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	in := req.Input
	tok, err := token(req)
	if err != nil {
		return nil, err
	}
	rules, _ := in["RotationRules"].(map[string]any)
	if days, ok := integer(rules, "AutomaticallyAfterDays"); ok && (days < 1 || days > 1000) {
		return nil, errInvalidParameter("RotationRules.AutomaticallyAfterDays must be between 1 and 1000.")
	}
	s, err := updateSecretRecord(req, str(in, "SecretId"), func(s *secret) error {
		if l := str(in, "RotationLambdaARN"); l != "" {
			s.RotationARN = l
		}
		if rules != nil {
			days, _ := integer(rules, "AutomaticallyAfterDays")
			s.RotationRule = &rotationRules{Days: days, Duration: str(rules, "Duration"), Schedule: str(rules, "ScheduleExpression")}
		}
		if s.RotationARN == "" {
			return errInvalidRequest("No Lambda rotation function ARN is associated with this secret.")
		}
		if s.stageVersion(pending) != nil {
			return errInvalidRequest("A previous rotation isn't complete. That rotation will be reattempted.")
		}
		s.Rotation = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	immediately := true
	if b, ok := boolean(in, "RotateImmediately"); ok {
		immediately = b
	}
	hookMu.RLock()
	h := hook
	hookMu.RUnlock()
	if h == nil || !immediately {
		return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
	}
	call := func(ctx context.Context, op string, input map[string]any) (map[string]any, error) {
		return req.Services().Call(ctx, req.Account, req.Region, Name, op, input)
	}
	for _, step := range []string{"createSecret", "setSecret", "testSecret", "finishSecret"} {
		err := h(ctx, RotationRequest{Step: step, SecretID: s.ARN, ClientRequestToken: tok,
			RotationLambdaARN: s.RotationARN, Call: call})
		if err != nil {
			var ae *protocol.APIError
			if errors.As(err, &ae) {
				return nil, ae
			}
			return nil, errInvalidRequest("rotation step %s failed: %v", step, err)
		}
	}
	if _, err := updateSecretRecord(req, s.ARN, func(s *secret) error {
		s.Rotated = now(req)
		return nil
	}); err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name, "VersionId": tok}, nil
}

func cancelRotateSecret(ctx context.Context, req *emulator.Request) (map[string]any, error) {
	s, err := updateSecretRecord(req, str(req.Input, "SecretId"), func(s *secret) error {
		s.Rotation = false
		if v := s.stageVersion(pending); v != nil {
			v.Stages = nil
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

func asAPIError(err error) (*protocol.APIError, bool) {
	var ae *protocol.APIError
	ok := errors.As(err, &ae)
	return ae, ok
}
