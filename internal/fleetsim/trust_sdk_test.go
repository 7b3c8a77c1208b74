package fleetsim_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
	"github.com/ecswin/ecswin/internal/fleetsim"
)

// docBinarySHA256 is the route-bootstrap.exe hash the tests' document
// pins; the simulator downloads nothing, so any digest does.
const docBinarySHA256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// docContent is ecswin's SSM document as the engine writes it.
func docContent(t testing.TB) string {
	t.Helper()
	c, err := ssmdoc.Content(docBinarySHA256)
	if err != nil {
		t.Fatal(err)
	}
	return string(c)
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// SendCommand with the DocumentHash of the version ecswin wrote runs; the
// same call after someone updated the document (and made the new version
// the default) is refused as SSM refuses it: InvalidDocument, "document
// hash ... does not match Sha256.", and nothing runs.
func TestSendCommandRefusesAChangedDocument(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	createDocument(t, e)
	ids := e.sim.Instances(fleetsim.InstanceFilter{WindowsOnly: true})[:2]
	hash := ssmdoc.Hash([]byte(docContent(t)))
	sendPinned := func(version string) error {
		_, err := e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
			DocumentName: aws.String(docName), DocumentVersion: aws.String(version),
			DocumentHash: aws.String(hash), DocumentHashType: ssmtypes.DocumentHashTypeSha256,
			InstanceIds: ids, Parameters: bootstrapParams(true),
		})
		return err
	}
	if err := sendPinned("$DEFAULT"); err != nil {
		t.Fatalf("the pinned hash of the current document was refused: %v", err)
	}
	before := commandCount(t, e)

	edited := strings.Replace(docContent(t), "route-bootstrap host", "something else", 1)
	if _, err := e.ssm.UpdateDocument(ctx(t), &ssm.UpdateDocumentInput{Name: aws.String(docName), Content: aws.String(edited), DocumentVersion: aws.String("$LATEST")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ssm.UpdateDocumentDefaultVersion(ctx(t), &ssm.UpdateDocumentDefaultVersionInput{Name: aws.String(docName), DocumentVersion: aws.String("2")}); err != nil {
		t.Fatal(err)
	}
	err := sendPinned("$DEFAULT")
	if apiCode(err) != "InvalidDocument" || !strings.Contains(err.Error(), "document hash "+hash+" does not match Sha256.") {
		t.Fatalf("err = %v, want InvalidDocument: document hash %s does not match Sha256.", err, hash)
	}
	if after := commandCount(t, e); after != before {
		t.Errorf("a refused SendCommand left a command behind (%d, was %d)", after, before)
	}
	// Version 1 still holds our content, so pinning it runs ours.
	if err := sendPinned("1"); err != nil {
		t.Errorf("version 1 with its own hash was refused: %v", err)
	}
	// A type SSM does not know is a validation error.
	_, err = e.ssm.SendCommand(ctx(t), &ssm.SendCommandInput{
		DocumentName: aws.String(docName), DocumentHash: aws.String(hash), DocumentHashType: "Md5",
		InstanceIds: ids, Parameters: bootstrapParams(true),
	})
	if apiCode(err) != "ValidationException" {
		t.Errorf("hash type Md5: err = %v, want ValidationException", err)
	}
}

func commandCount(t *testing.T, e *env) int {
	t.Helper()
	out, err := e.ssm.ListCommands(ctx(t), &ssm.ListCommandsInput{})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Commands)
}

// Tags given to CreateDocument, or added later, are what
// ListTagsForResource answers; unknown documents and resource types get
// SSM's errors.
func TestDocumentTags(t *testing.T) {
	e := newEnv(t, "small", fleetsim.Options{})
	_, err := e.ssm.CreateDocument(ctx(t), &ssm.CreateDocumentInput{
		Name: aws.String(docName), Content: aws.String(docContent(t)), DocumentType: ssmtypes.DocumentTypeCommand,
		Tags: []ssmtypes.Tag{{Key: aws.String("ecswin.io/managed-by"), Value: aws.String("ecswin")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ssm.CreateDocument(ctx(t), &ssm.CreateDocumentInput{Name: aws.String("untagged-doc"), Content: aws.String(docContent(t))}); err != nil {
		t.Fatal(err)
	}
	tags := func(name string) map[string]string {
		t.Helper()
		out, err := e.ssm.ListTagsForResource(ctx(t), &ssm.ListTagsForResourceInput{ResourceType: ssmtypes.ResourceTypeForTaggingDocument, ResourceId: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, tg := range out.TagList {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m
	}
	if got := tags(docName); len(got) != 1 || got["ecswin.io/managed-by"] != "ecswin" {
		t.Errorf("tags of %s = %v", docName, got)
	}
	if got := tags("untagged-doc"); len(got) != 0 {
		t.Errorf("tags of untagged-doc = %v", got)
	}
	if _, err := e.ssm.AddTagsToResource(ctx(t), &ssm.AddTagsToResourceInput{
		ResourceType: ssmtypes.ResourceTypeForTaggingDocument, ResourceId: aws.String("untagged-doc"),
		Tags: []ssmtypes.Tag{{Key: aws.String("team"), Value: aws.String("windows")}},
	}); err != nil {
		t.Fatal(err)
	}
	if got := tags("untagged-doc"); got["team"] != "windows" {
		t.Errorf("added tag missing: %v", got)
	}
	_, err = e.ssm.ListTagsForResource(ctx(t), &ssm.ListTagsForResourceInput{ResourceType: ssmtypes.ResourceTypeForTaggingDocument, ResourceId: aws.String("no-such-doc")})
	if apiCode(err) != "InvalidResourceId" {
		t.Errorf("unknown document: err = %v, want InvalidResourceId", err)
	}
	_, err = e.ssm.CreateDocument(ctx(t), &ssm.CreateDocumentInput{
		Name: aws.String("bad-tags"), Content: aws.String(docContent(t)),
		Tags: []ssmtypes.Tag{{Key: aws.String("a;b"), Value: aws.String("x")}},
	})
	if apiCode(err) != "ValidationException" {
		t.Errorf("bad tag key: err = %v, want ValidationException", err)
	}
}
