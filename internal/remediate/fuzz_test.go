package remediate

import (
	"testing"
	"time"
)

// FuzzReadReport: whatever a host prints, reading it never panics, and a
// report that is accepted is about the host it came from.
func FuzzReadReport(f *testing.F) {
	f.Add([]byte(`{"schema":"route-bootstrap.ecswin.io/v1","summary":{"command":"host","outcome":"Healthy","check":false,"instanceID":"i-1","proxyHealthy":true,"containersChecked":0,"containersSkipped":0,"containersLackingRouteBefore":0,"containersLackingRouteAfter":0,"containersRepaired":0,"containersFailed":0,"routesAdded":0,"routesReplaced":0}}`), "i-1")
	f.Add([]byte(""), "i-1")
	f.Add([]byte("Access is denied.\r\n----------ERROR-------\nboom"), "i-2")
	f.Fuzz(func(t *testing.T, out []byte, instanceID string) {
		r, err := ReadReport(out, instanceID, time.Unix(0, 0))
		if err != nil {
			return
		}
		if r.InstanceID != instanceID {
			t.Errorf("accepted a report for %q from %q", r.InstanceID, instanceID)
		}
		if r.ContainersLackingRoute < 0 || r.ContainersRepaired < 0 {
			t.Errorf("negative counts in %+v", r)
		}
	})
}
