package remediate

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/ecswin/ecswin/internal/bootstrap/report"
)

func TestReadReport(t *testing.T) {
	encode := func(s report.Summary) []byte {
		b, err := json.Marshal(report.Report{Schema: report.SchemaVersion, Summary: s, Containers: []report.Container{
			{ID: "c1", TaskARN: "task/1", Status: report.ContainerRepaired},
			{ID: "c2", TaskARN: "task/1", Status: report.ContainerRepaired},
			{ID: "c3", TaskARN: "task/2", Status: report.ContainerOK},
		}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	repaired := report.Summary{Command: report.CommandHost, Outcome: report.OutcomeRepaired, InstanceID: "i-1", ProxyHealthy: true,
		ContainersChecked: 3, ContainersLackingRouteBefore: 2, ContainersRepaired: 2, RoutesAdded: 4}
	cases := map[string]struct {
		out     []byte
		wantErr error
		lacking int
	}{
		"repaired":         {out: encode(repaired)},
		"no instance ID":   {out: encode(func() report.Summary { s := repaired; s.InstanceID = ""; return s }())},
		"another instance": {out: encode(func() report.Summary { s := repaired; s.InstanceID = "i-2"; return s }()), wantErr: report.ErrInvalid},
		"ensure, not host": {out: encode(func() report.Summary { s := repaired; s.Command = report.CommandEnsure; return s }()), wantErr: report.ErrInvalid},
		"empty":            {out: nil, wantErr: report.ErrEmpty},
		"not JSON":         {out: []byte("Access is denied."), wantErr: report.ErrNotJSON},
		"cut":              {out: encode(repaired)[:60], wantErr: report.ErrTruncated},
		"unknown schema":   {out: []byte(`{"schema":"x/v9"}`), wantErr: report.ErrUnsupportedSchema},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := ReadReport(c.out, "i-1", time.Unix(0, 0))
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("err = %v, want %v", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.InstanceID != "i-1" || !r.DriftFound() || !r.Healthy() || r.ContainersRepaired != 2 ||
				len(r.TasksWithoutRoute) != 1 || r.TasksWithoutRoute[0] != "task/1" {
				t.Errorf("report = %+v", r)
			}
		})
	}
}
