//go:build windows

package winos

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// RunMutexName is the machine-wide mutex that keeps host runs apart. It is
// created with a DACL for SYSTEM and Administrators only, so no one else
// can open it and hold it to keep every run out (standard users cannot
// create objects in the Global namespace in the first place).
const RunMutexName = `Global\ecswin-route-bootstrap`

// runMutexSDDL grants SYSTEM and Administrators everything, nobody else
// anything, and is protected from inheritance.
const runMutexSDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)"

// Runs keeps host runs apart with a named mutex and bounds their children
// with a Job object.
type Runs struct{}

var _ hostos.Runs = Runs{}

// AcquireRun creates the run mutex. The mutex is used as a token, not
// waited on: whoever creates it holds the host until its handle closes
// (release, or the process ending), and a second run sees
// ERROR_ALREADY_EXISTS. Mutex ownership belongs to a thread, which Go does
// not pin, so owning it would be unsound; existence is not.
//
// It then puts this process in a Job object that kills every process in it
// when its last handle closes: the children route-bootstrap starts
// (netsh.exe, powershell.exe and theirs) inherit the job, and the handle
// closes when route-bootstrap exits, however it exits, so no child
// outlives it. The SSM agent kills only powershell.exe on a timeout
// (executers_windows.go in amazon-ssm-agent), which is why route-bootstrap
// also ends itself before then (--timeout).
func (Runs) AcquireRun(context.Context) (func(), error) {
	mutex, err := createRunMutex()
	if err != nil {
		return nil, err
	}
	if err := containChildren(); err != nil {
		windows.CloseHandle(mutex) //nolint:errcheck // nothing to do if closing fails
		return nil, err
	}
	return func() { windows.CloseHandle(mutex) }, nil //nolint:errcheck // nothing to do if closing fails
}

// Wait sleeps.
func (Runs) Wait(ctx context.Context, d time.Duration) error { return hostos.SleepContext(ctx, d) }

func createRunMutex() (windows.Handle, error) {
	sd, err := windows.SecurityDescriptorFromString(runMutexSDDL)
	if err != nil {
		return 0, fmt.Errorf("building the run mutex's security descriptor: %w", err)
	}
	sa := &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	name, err := windows.UTF16PtrFromString(RunMutexName)
	if err != nil {
		return 0, err
	}
	h, err := windows.CreateMutex(sa, false, name)
	switch {
	case errors.Is(err, windows.ERROR_ALREADY_EXISTS):
		windows.CloseHandle(h) //nolint:errcheck // nothing to do if closing fails
		return 0, fmt.Errorf("%w (%s)", hostos.ErrBusy, RunMutexName)
	case errors.Is(err, windows.ERROR_ACCESS_DENIED):
		// Exists, made by someone whose DACL shuts us out.
		return 0, fmt.Errorf("%w: %s exists and this account may not open it", hostos.ErrBusy, RunMutexName)
	case err != nil:
		return 0, fmt.Errorf("creating %s: %w", RunMutexName, err)
	}
	return h, nil
}

// containChildren puts this process in a new kill-on-close Job object and
// leaves the job's handle open for the rest of the process's life. Nested
// jobs (Windows 8 and Server 2012 on) let this work even when the SSM
// agent already runs us in one.
func containChildren() error {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return fmt.Errorf("creating a job object: %w", err)
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job) //nolint:errcheck // nothing to do if closing fails
		return fmt.Errorf("making the job kill its processes on close: %w", err)
	}
	if err := windows.AssignProcessToJobObject(job, windows.CurrentProcess()); err != nil {
		windows.CloseHandle(job) //nolint:errcheck // nothing to do if closing fails
		return fmt.Errorf("joining the job object: %w", err)
	}
	return nil // the handle stays open until the process exits
}
