package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password limits. The cost follows the OWASP minimum for argon2id:
// 19 MiB of memory, two passes, one lane.
const (
	PasswordMinLength = 10
	PasswordMaxLength = 128

	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonSaltLen   = 16
	argonKeyLen    = 32
)

// dummyHash is checked against when a sign-in names no user, so that an
// unknown email costs the same work as a wrong password. Its salt and key
// are random bytes; no password matches it.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$" +
	"q7D0dXcw3mN1bFJ8lR2Kxw$" +
	"3yLx0y0gM7n4kq1H1t2QcqF4m6K3YbW0lTz9o8v5UaE"

// HashPassword returns the argon2id hash of password as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$salt$key (unpadded base64).
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}

	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a PHC string made by
// HashPassword. It compares in constant time and reports false for a
// malformed or empty hash, after doing the same work as a real check.
func CheckPassword(hash, password string) bool {
	p, ok := parsePHC(hash)
	if !ok {
		p, _ = parsePHC(dummyHash)
		checkKey(p, password)
		return false
	}
	return checkKey(p, password)
}

type phc struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

func checkKey(p phc, password string) bool {
	key := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

// parsePHC reads "$argon2id$v=19$m=..,t=..,p=..$salt$key". Costs far
// above our own are refused so that a planted hash cannot exhaust memory.
func parsePHC(s string) (phc, bool) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return phc{}, false
	}

	var p phc
	_, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads)
	if err != nil || p.memory == 0 || p.memory > 256*1024 || p.time == 0 || p.time > 10 || p.threads == 0 {
		return phc{}, false
	}

	b64 := base64.RawStdEncoding
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return phc{}, false
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 {
		return phc{}, false
	}
	return p, true
}

// commonPasswords are words that guessing tools try first. A password is
// refused when, stripped of leading and trailing digits and symbols and
// read without look-alike digits, it is one of them.
var commonPasswords = map[string]bool{
	"password": true, "passwort": true, "qwerty": true, "qwertyuiop": true,
	"asdfghjkl": true, "azerty": true, "letmein": true, "welcome": true,
	"iloveyou": true, "admin": true, "administrator": true, "abc": true,
	"monkey": true, "dragon": true, "football": true, "baseball": true,
	"sunshine": true, "princess": true, "trustno": true, "changeme": true,
	"secret": true, "login": true, "master": true, "shadow": true,
	"superman": true, "starwars": true, "whatever": true, "qazwsx": true,
	"zaqi2wsx": true, "encounters": true, "durham": true, "sunderland": true,
	"newcastle": true, "middlesbrough": true, "school": true, "teacher": true,
	"employer": true, "summer": true, "winter": true, "spring": true,
	"autumn": true, "hello": true, "abcdefghij": true, "abcdefghijk": true,
}

var lookAlikes = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t",
	"@", "a", "$", "s", "!", "i")

// passwordProblem returns a sentence saying what is wrong with a new
// password, or "" when it will do. email and name are the person's own,
// which a password must not repeat.
func passwordProblem(password, email, name string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return "Enter a password."
	case n < PasswordMinLength:
		return fmt.Sprintf("Your password must be at least %d characters long.", PasswordMinLength)
	case n > PasswordMaxLength:
		return fmt.Sprintf("Your password must be %d characters or fewer.", PasswordMaxLength)
	case obviousPassword(password):
		return "Choose a password that is harder to guess: avoid common words, " +
			"repeated characters and runs like 12345 or qwerty."
	case repeatsPerson(password, email, name):
		return "Your password must not contain your name or email address."
	}
	return ""
}

func obviousPassword(password string) bool {
	lower := strings.ToLower(password)
	stem := strings.TrimFunc(lower, func(r rune) bool {
		return (r >= '0' && r <= '9') || strings.ContainsRune("!\"£$%^&*()-_=+[]{};:'@#~,.<>/?\\| ", r)
	})
	if stem == "" || commonPasswords[stem] || commonPasswords[lookAlikes.Replace(stem)] {
		return true
	}
	return distinctRunes(lower) < 4 || isRun(lower)
}

func distinctRunes(s string) int {
	seen := map[rune]bool{}
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// isRun reports whether s climbs or falls one step at a time ("abcdef",
// "9876543210") or follows a keyboard row.
func isRun(s string) bool {
	for _, row := range []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"} {
		if strings.Contains(row+row, s) {
			return true
		}
	}

	up, down := true, true
	rs := []rune(s)
	for i := 1; i < len(rs); i++ {
		up = up && rs[i] == rs[i-1]+1
		down = down && rs[i] == rs[i-1]-1
	}
	return up || down
}

func repeatsPerson(password, email, name string) bool {
	lower := strings.ToLower(password)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	if len(local) >= 4 && strings.Contains(lower, local) {
		return true
	}

	for _, word := range strings.Fields(strings.ToLower(name)) {
		if len(word) >= 4 && strings.Contains(lower, word) {
			return true
		}
	}
	return false
}
