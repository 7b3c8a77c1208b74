//go:build windows

package winos

import (
	"fmt"
	"net/netip"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/ecswin/ecswin/internal/bootstrap/hostos"
)

// The IP Helper exports used here, resolved lazily and checked with Find
// before each call.
var (
	modIPHelper                  = windows.NewLazySystemDLL("iphlpapi.dll")
	procGetAdaptersAddresses     = modIPHelper.NewProc("GetAdaptersAddresses")
	procGetIPForwardTable2       = modIPHelper.NewProc("GetIpForwardTable2")
	procFreeMibTable             = modIPHelper.NewProc("FreeMibTable")
	procInitializeIPForwardEntry = modIPHelper.NewProc("InitializeIpForwardEntry")
	procCreateIPForwardEntry2    = modIPHelper.NewProc("CreateIpForwardEntry2")
	procDeleteIPForwardEntry2    = modIPHelper.NewProc("DeleteIpForwardEntry2")
)

// call runs an IP Helper export and returns its result code, or
// hostos.ErrUnsupported when the export is missing.
func call(p *windows.LazyProc, args ...uintptr) (syscall.Errno, error) {
	if err := p.Find(); err != nil {
		return 0, fmt.Errorf("%s: %w: %w", p.Name, hostos.ErrUnsupported, err)
	}
	r, _, _ := syscall.SyscallN(p.Addr(), args...)
	return syscall.Errno(uint32(r)), nil
}

// checked turns a result code into an error.
func checked(p *windows.LazyProc, args ...uintptr) error {
	code, err := call(p, args...)
	if err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("%s: %w", p.Name, code)
	}
	return nil
}

func inet4(sa *windows.RawSockaddrInet) (netip.Addr, bool) {
	if sa.Family != windows.AF_INET {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4((*windows.RawSockaddrInet4)(unsafe.Pointer(sa)).Addr), true
}

func setInet4(sa *windows.RawSockaddrInet, a netip.Addr) {
	*sa = windows.RawSockaddrInet{}
	v4 := (*windows.RawSockaddrInet4)(unsafe.Pointer(sa))
	v4.Family = windows.AF_INET
	v4.Addr = a.As4()
}

// forwardTable returns the IPv4 route rows, copied out of the IP Helper
// table, which is freed before returning.
func forwardTable() ([]windows.MibIpForwardRow2, error) {
	var table *windows.MibIpForwardTable2
	if err := checked(procGetIPForwardTable2, windows.AF_INET, uintptr(unsafe.Pointer(&table))); err != nil {
		return nil, err
	}
	defer call(procFreeMibTable, uintptr(unsafe.Pointer(table))) //nolint:errcheck // nothing to do if freeing fails
	return append([]windows.MibIpForwardRow2(nil), table.Rows()...), nil
}

// adapterFlags skip what route-bootstrap never reads.
const adapterFlags = windows.GAA_FLAG_SKIP_ANYCAST | windows.GAA_FLAG_SKIP_MULTICAST | windows.GAA_FLAG_SKIP_DNS_SERVER

// adapterAddresses calls GetAdaptersAddresses for IPv4, growing the buffer
// as asked.
func adapterAddresses() (*windows.IpAdapterAddresses, error) {
	size := uint32(16 << 10)
	for range 4 {
		// []uint64 keeps the buffer 8-byte aligned, as the structures need.
		buf := make([]uint64, (size+7)/8)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		code, err := call(procGetAdaptersAddresses, windows.AF_INET, adapterFlags, 0,
			uintptr(unsafe.Pointer(first)), uintptr(unsafe.Pointer(&size)))
		if err != nil {
			return nil, err
		}
		switch code {
		case 0:
			return first, nil
		case windows.ERROR_NO_DATA:
			return nil, nil
		case windows.ERROR_BUFFER_OVERFLOW:
			continue
		default:
			return nil, fmt.Errorf("GetAdaptersAddresses: %w", code)
		}
	}
	return nil, fmt.Errorf("GetAdaptersAddresses: buffer kept growing")
}

var dadStates = map[int32]hostos.AddressState{
	windows.IpDadStateInvalid:    hostos.AddressInvalid,
	windows.IpDadStateTentative:  hostos.AddressTentative,
	windows.IpDadStateDuplicate:  hostos.AddressDuplicate,
	windows.IpDadStateDeprecated: hostos.AddressDeprecated,
	windows.IpDadStatePreferred:  hostos.AddressPreferred,
}
