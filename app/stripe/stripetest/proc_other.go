//go:build !linux

package stripetest

import "os/exec"

// shareServer is false where nothing would stop a shared server when the
// test binary exits: each test starts and stops its own.
const shareServer = false

func dieWithParent(*exec.Cmd) {}
