package app

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{2,63}$`)

// NewID returns a fresh random id with a readable prefix, such as "off_3f9a...".
func NewID(prefix string) string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return prefix + "_" + hex.EncodeToString(b)
}

// NewSecret returns 32 random bytes as hex, for tokens.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// ValidID reports whether s has the shape of an Encounters id. A malformed
// id is rejected before any lookup.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// SchoolID is the organisation id of the school with the given URN, so that
// imports find a school by _id without scanning.
func SchoolID(urn string) string { return "urn-" + urn }
