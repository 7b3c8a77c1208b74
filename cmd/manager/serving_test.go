package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"log"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	ecswinv1alpha1 "github.com/ecswin/ecswin/api/v1alpha1"
	"github.com/ecswin/ecswin/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// parse parses the manager's flags as given.
func parse(t *testing.T, args ...string) options {
	t.Helper()
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o, err := parseOptions(fs, args)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// writeCert writes a self-signed certificate and key as a mounted
// kubernetes.io/tls secret holds them, and returns the certificate.
func writeCert(t *testing.T, dir string, serial int64) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "ecswin-controller-manager-metrics-service"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"ecswin-controller-manager-metrics-service.ecswin-system.svc"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tls.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tls.key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// With --metrics-cert-path the metrics server presents the mounted
// certificate, and the one cert-manager renews into it after that.
func TestMetricsServeTheMountedCertificate(t *testing.T) {
	dir := t.TempDir()
	writeCert(t, dir, 1)
	o := parse(t, "--metrics-cert-path="+dir)
	mo, w, err := metricsServing(o, nil)
	if err != nil || w == nil {
		t.Fatalf("metricsServing: %v, watcher %v", err, w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = w.Start(ctx) }()

	served := func() int64 {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		for _, f := range mo.TLSOpts {
			f(cfg)
		}
		srv := httptest.NewUnstartedServer(nil)
		srv.TLS = cfg
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the probe hangs up after the handshake
		srv.StartTLS()
		defer srv.Close()
		// With the service's name (SNI), as Prometheus connects; the
		// test reads whichever certificate it is shown.
		conn, err := tls.Dial("tcp", srv.Listener.Addr().String(), &tls.Config{
			ServerName: "ecswin-controller-manager-metrics-service.ecswin-system.svc", InsecureSkipVerify: true, MinVersion: tls.VersionTLS12,
		})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		return conn.ConnectionState().PeerCertificates[0].SerialNumber.Int64()
	}
	if got := served(); got != 1 {
		t.Fatalf("served certificate %d, want the mounted one (1)", got)
	}
	writeCert(t, dir, 2) // a renewal
	deadline := time.Now().Add(30 * time.Second)
	for served() != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the renewed certificate is not served after 30s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	if _, _, err := metricsServing(parse(t, "--metrics-cert-path="+t.TempDir()), nil); err == nil || !strings.Contains(err.Error(), "--metrics-cert-path") {
		t.Errorf("an empty certificate directory: err = %v", err)
	}
	if _, w, _ := metricsServing(parse(t), nil); w != nil {
		t.Error("without --metrics-cert-path there is nothing to watch")
	}
}

// --policy-selector keeps the other FleetPolicies out of this manager's
// cache; /readyz waits for that cache to sync.
func TestPolicySelectorAndReadiness(t *testing.T) {
	ctx := context.Background()
	for _, team := range []string{"payments", "batch"} {
		p := &ecswinv1alpha1.FleetPolicy{
			ObjectMeta: metav1.ObjectMeta{Name: "selector-" + team, Labels: map[string]string{"team": team}},
			Spec: ecswinv1alpha1.FleetPolicySpec{
				AWS: ecswinv1alpha1.AWSSpec{Region: "us-east-1"}, Clusters: []string{"windows-" + team},
				Remediation: ecswinv1alpha1.RemediationSpec{Bootstrap: ecswinv1alpha1.BootstrapSource{Source: "s3://bucket/route-bootstrap.exe"}},
			},
		}
		if err := testenv.Global.Client.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = testenv.Global.Client.Delete(ctx, p) })
	}
	o := parse(t, "--policy-selector=team=payments")
	co := cacheOptions(o.policySelector)
	co.Scheme = testenv.Global.Scheme
	c, err := cache.New(testenv.Global.Config, co)
	if err != nil {
		t.Fatal(err)
	}
	ready := cachesSynced(c)
	req := httptest.NewRequest("GET", "/readyz", nil)
	var list ecswinv1alpha1.FleetPolicyList
	if err := ready(req); !errors.Is(err, errCachesNotSynced) {
		t.Errorf("readyz before the cache started: %v, want %v", err, errCachesNotSynced)
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { _ = c.Start(cctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for ready(req) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("readyz not ready 30s after the cache started: %v", ready(req))
		}
	}
	if err := c.List(ctx, &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range list.Items {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "selector-payments" {
		t.Errorf("the manager's cache holds %v, want only the policy its selector matches", names)
	}
	if cacheOptions(labels.Everything()).ByObject != nil {
		t.Error("an empty selector should not filter the cache")
	}
}
