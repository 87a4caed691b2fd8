package stripetest

import (
	"os/exec"
	"syscall"
)

// shareServer is true on Linux, where the kernel kills the shared server
// when the test binary exits.
const shareServer = true

// dieWithParent has the kernel kill cmd when the thread that starts it
// ends, which for the shared server is when the test binary exits.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
