package awsconfig

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoCredentials is returned when no provider of the chain found credentials
// (botocore's NoCredentialsError: "Unable to locate credentials").
var ErrNoCredentials = errors.New("Unable to locate credentials")

// ProfileNotFoundError is botocore's ProfileNotFound (item 1.05).
type ProfileNotFoundError struct {
	Profile string
}

func (e *ProfileNotFoundError) Error() string {
	return fmt.Sprintf("The config profile (%s) could not be found", e.Profile)
}

// PartialCredentialsError is botocore's PartialCredentialsError (items 1.41, 2.07, 2.12).
type PartialCredentialsError struct {
	Provider string // method name: "env", "explicit", "shared-credentials-file", ...
	Missing  string // the missing variable or key
}

func (e *PartialCredentialsError) Error() string {
	return fmt.Sprintf("Partial credentials found in %s, missing: %s", e.Provider, e.Missing)
}

// InvalidConfigError is botocore's InvalidConfigError (items 2.24, 2.27).
type InvalidConfigError struct {
	Message string
}

func (e *InvalidConfigError) Error() string { return e.Message }

// InfiniteLoopConfigError is botocore's InfiniteLoopConfigError (item 2.25). It
// also matches *InvalidConfigError with errors.As, as the Python class is a
// subclass.
type InfiniteLoopConfigError struct {
	SourceProfile   string
	VisitedProfiles []string
}

func (e *InfiniteLoopConfigError) Error() string {
	quoted := make([]string, len(e.VisitedProfiles))
	for i, p := range e.VisitedProfiles {
		quoted[i] = "'" + p + "'"
	}
	return fmt.Sprintf("Infinite loop in credential configuration detected. Attempting to load from profile %s which has already been visited. Visited profiles: [%s]",
		e.SourceProfile, strings.Join(quoted, ", "))
}

// As lets errors.As(err, **InvalidConfigError) match a loop error.
func (e *InfiniteLoopConfigError) As(target any) bool {
	if t, ok := target.(**InvalidConfigError); ok {
		*t = &InvalidConfigError{Message: e.Error()}
		return true
	}
	return false
}

// CredentialRetrievalError is botocore's CredentialRetrievalError (item 2.28).
type CredentialRetrievalError struct {
	Provider string
	Message  string
	Err      error // underlying cause, if any
}

func (e *CredentialRetrievalError) Error() string {
	return fmt.Sprintf("Error when retrieving credentials from %s: %s", e.Provider, e.Message)
}

func (e *CredentialRetrievalError) Unwrap() error { return e.Err }

// MetadataRetrievalError is botocore's MetadataRetrievalError (item 2.32).
type MetadataRetrievalError struct {
	Message string
}

func (e *MetadataRetrievalError) Error() string { return "Error retrieving metadata: " + e.Message }
