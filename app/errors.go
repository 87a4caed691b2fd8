// Package app is the Encounters marketplace domain: its types, its rules
// (matching, eligibility, validation) and the interfaces that storage, search
// and mail implement. It does no I/O of its own; technology lives in the
// subpackages named after it and only cmd/encounters wires them together.
package app

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. The HTTP layer maps each to one status in one place.
const (
	EInvalid      = "invalid"      // the caller sent something wrong: 400/422
	ENotFound     = "not_found"    // no such record, or not the caller's: 404
	EConflict     = "conflict"     // the record's state forbids the change: 409
	EForbidden    = "forbidden"    // signed in but not allowed: 403
	EUnauthorized = "unauthorized" // not signed in: 401
	ETooMany      = "too_many"     // rate limited: 429
	EInternal     = "internal"     // our fault: 500, message never shown
)

// FieldError is one bad field and a plain-English sentence about it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one domain error. Message is safe to show to users; causes
// wrapped inside are logged, never shown.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Cause   error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Cause }

// Errorf returns an *Error with a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is the error for a missing record, or one the caller may not see.
func ErrNotFound(what string) *Error {
	return &Error{Code: ENotFound, Message: what + " was not found"}
}

// ErrorCode returns the code of err, EInternal for errors that are not *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EInternal
}

// ErrorMessage returns the user-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}

// Problems collects field errors while validating input.
type Problems struct {
	list []FieldError
}

// Add records a problem with one field.
func (p *Problems) Add(field, format string, args ...any) {
	p.list = append(p.list, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Has reports whether field already has a problem.
func (p *Problems) Has(field string) bool {
	for _, f := range p.list {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was wrong, otherwise an EInvalid *Error
// naming every bad field.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	msgs := make([]string, len(p.list))
	for i, f := range p.list {
		msgs[i] = f.Message
	}
	return &Error{Code: EInvalid, Message: strings.Join(msgs, " "), Fields: p.list}
}

// FieldErrors returns the per-field problems carried by err, if any.
func FieldErrors(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
