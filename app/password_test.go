package app

import (
	"strings"
	"testing"
)

func TestPasswordProblem(t *testing.T) {
	tests := []struct {
		name     string
		password string
		want     string // part of the message; "" for a good password
	}{
		{"good passphrase", "correct horse battery", ""},
		{"good mixed", "Tyne-bridge-1928", ""},
		{"exactly ten", "kx9!Lm2#qz", ""},
		{"empty", "", "Enter a password"},
		{"nine characters", "kx9!Lm2#q", "at least 10 characters"},
		{"too long", strings.Repeat("ab3$", 33), "128 characters or fewer"},
		{"ten accented runes count as ten", "éàüöçñßøåæ", ""},
		{"common word with digits", "password123", "harder to guess"},
		{"common word capitalised with symbol", "Password2024!", "harder to guess"},
		{"look-alike digits", "P@ssw0rd!!", "harder to guess"},
		{"digits only", "1234567890", "harder to guess"},
		{"keyboard row", "qwertyuiop", "harder to guess"},
		{"descending run", "9876543210", "harder to guess"},
		{"alphabet run", "abcdefghijkl", "harder to guess"},
		{"one character repeated", "aaaaaaaaaaaa", "harder to guess"},
		{"two characters repeated", "abababababab", "harder to guess"},
		{"the product name", "Encounters2026", "harder to guess"},
		{"email local part", "xx-janedoe-42", "name or email"},
		{"name", "Mitchell-rocks-99", "name or email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := passwordProblem(tc.password, "janedoe@example.org", "Sam Mitchell")
			if tc.want == "" && got != "" {
				t.Fatalf("passwordProblem(%q) = %q, want no problem", tc.password, got)
			}
			if !strings.Contains(got, tc.want) || (tc.want != "" && got == "") {
				t.Fatalf("passwordProblem(%q) = %q, want it to contain %q", tc.password, got, tc.want)
			}
		})
	}
}

func TestHashPassword(t *testing.T) {
	hash, err := HashPassword("Tyne-bridge-1928")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string with our costs", hash)
	}
	again, _ := HashPassword("Tyne-bridge-1928")
	if again == hash {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}

	tests := []struct {
		name     string
		hash     string
		password string
		want     bool
	}{
		{"right password", hash, "Tyne-bridge-1928", true},
		{"wrong password", hash, "Tyne-bridge-1929", false},
		{"empty password", hash, "", false},
		{"empty hash", "", "Tyne-bridge-1928", false},
		{"dummy hash", dummyHash, "Tyne-bridge-1928", false},
		{"bcrypt hash", "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", "x", false},
		{"cost too high", strings.Replace(hash, "m=19456", "m=9999999", 1), "Tyne-bridge-1928", false},
		{"truncated key", hash[:len(hash)-30], "Tyne-bridge-1928", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckPassword(tc.hash, tc.password); got != tc.want {
				t.Fatalf("CheckPassword = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDummyHashParses(t *testing.T) {
	p, ok := parsePHC(dummyHash)
	if !ok {
		t.Fatal("dummyHash does not parse, so unknown emails would cost less than wrong passwords")
	}
	if p.memory != argonMemoryKiB || p.time != argonTime || p.threads != argonThreads || len(p.key) != argonKeyLen {
		t.Fatalf("dummyHash costs %+v differ from real hashes", p)
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	hash, err := HashPassword("Tyne-bridge-1928")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		CheckPassword(hash, "Tyne-bridge-1928")
	}
}
