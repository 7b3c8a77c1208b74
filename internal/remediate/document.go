package remediate

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bootstrap/ssmdoc"
)

// DocumentChange says what EnsureDocument did.
type DocumentChange string

// Document changes; DocumentUnchanged is none.
const (
	DocumentUnchanged DocumentChange = ""
	DocumentCreated   DocumentChange = "Created"
	DocumentUpdated   DocumentChange = "Updated"
)

// The tag ecswin puts on the documents it creates, and the only proof it
// accepts that a document of that name is its own to change and run.
const (
	ManagedByTagKey   = "ecswin.io/managed-by"
	ManagedByTagValue = "ecswin"
)

// ErrDocumentNotOwned means a document of the policy's name exists but
// does not carry ecswin's tag: ecswin neither changes nor runs it.
var ErrDocumentNotOwned = errors.New("SSM document not owned by ecswin")

// Document is the version of the SSM document that ecswin wrote (or found
// holding its content): every SendCommand names that version and carries
// its hash, so SSM refuses the run if the document changed since.
type Document struct {
	Name    string
	Version string
	// Hash is the SHA-256 of the content (SSM's DocumentHash, Sha256).
	Hash   string
	Change DocumentChange
}

// EnsureDocument makes the default version of the SSM document name hold
// content: it creates the document (tagged as ecswin's), or, for a
// document that carries ecswin's tag, adds a version and makes it the
// default when the hash SSM reports differs from ours. A document of that
// name without the tag is left alone and ErrDocumentNotOwned returned. A
// Document without a Name (and no error) means someone created the
// document meanwhile: ask again on the next pass.
func EnsureDocument(ctx context.Context, api awsapi.SSMAPI, name string, content []byte) (Document, error) {
	hash := ssmdoc.Hash(content)
	desc, err := api.DescribeDocument(ctx, &ssm.DescribeDocumentInput{Name: aws.String(name)})
	switch {
	case awsapi.IsKind(err, awsapi.KindNotFound):
		return createDocument(ctx, api, name, content, hash)
	case err != nil:
		return Document{}, fmt.Errorf("describing SSM document %s: %w", name, err)
	}
	if err := checkOwned(ctx, api, name); err != nil {
		return Document{}, err
	}
	d := desc.Document
	if d != nil && aws.ToString(d.Hash) == hash && aws.ToString(d.DocumentVersion) != "" {
		return Document{Name: name, Version: aws.ToString(d.DocumentVersion), Hash: hash}, nil
	}
	upd, err := api.UpdateDocument(ctx, &ssm.UpdateDocumentInput{
		Name:            aws.String(name),
		Content:         aws.String(string(content)),
		DocumentFormat:  ssmtypes.DocumentFormatJson,
		DocumentVersion: aws.String("$LATEST"),
	})
	var version string
	switch {
	case awsapi.IsKind(err, awsapi.KindDuplicateContent):
		// Our content is already a version, just not the default one;
		// it is the latest unless someone updated the document since,
		// in which case the hash on SendCommand refuses the run and the
		// next pass ensures again.
		if d != nil {
			version = aws.ToString(d.LatestVersion)
		}
	case err != nil:
		return Document{}, fmt.Errorf("updating SSM document %s: %w", name, err)
	case upd.DocumentDescription != nil:
		version = aws.ToString(upd.DocumentDescription.DocumentVersion)
	}
	if version == "" {
		return Document{}, fmt.Errorf("updating SSM document %s: SSM named no new version", name)
	}
	if _, err := api.UpdateDocumentDefaultVersion(ctx, &ssm.UpdateDocumentDefaultVersionInput{
		Name: aws.String(name), DocumentVersion: aws.String(version),
	}); err != nil {
		return Document{}, fmt.Errorf("setting default version %s of SSM document %s: %w", version, name, err)
	}
	return Document{Name: name, Version: version, Hash: hash, Change: DocumentUpdated}, nil
}

func createDocument(ctx context.Context, api awsapi.SSMAPI, name string, content []byte, hash string) (Document, error) {
	out, err := api.CreateDocument(ctx, &ssm.CreateDocumentInput{
		Name:           aws.String(name),
		Content:        aws.String(string(content)),
		DocumentType:   ssmtypes.DocumentTypeCommand,
		DocumentFormat: ssmtypes.DocumentFormatJson,
		Tags:           []ssmtypes.Tag{{Key: aws.String(ManagedByTagKey), Value: aws.String(ManagedByTagValue)}},
	})
	if awsapi.IsKind(err, awsapi.KindAlreadyExists) {
		// Created meanwhile (another policy or replica): nothing is
		// ensured yet (no Name); the next pass compares and checks
		// that it is ours.
		return Document{}, nil
	}
	if err != nil {
		return Document{}, fmt.Errorf("creating SSM document %s: %w", name, err)
	}
	version := "1"
	if out.DocumentDescription != nil && aws.ToString(out.DocumentDescription.DocumentVersion) != "" {
		version = aws.ToString(out.DocumentDescription.DocumentVersion)
	}
	return Document{Name: name, Version: version, Hash: hash, Change: DocumentCreated}, nil
}

// checkOwned reads the document's tags: only a document ecswin tagged
// when it created it is ecswin's to change.
func checkOwned(ctx context.Context, api awsapi.SSMAPI, name string) error {
	out, err := api.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{
		ResourceType: ssmtypes.ResourceTypeForTaggingDocument,
		ResourceId:   aws.String(name),
	})
	if err != nil {
		return fmt.Errorf("reading the tags of SSM document %s: %w", name, err)
	}
	for _, t := range out.TagList {
		if aws.ToString(t.Key) == ManagedByTagKey && aws.ToString(t.Value) == ManagedByTagValue {
			return nil
		}
	}
	return fmt.Errorf("%w: SSM document %s exists but lacks the tag %s=%s, so ecswin did not create it and will neither change nor run it: "+
		"set spec.remediation.documentName to another ecswin-* name, or, if the document is ecswin's, tag it", ErrDocumentNotOwned, name, ManagedByTagKey, ManagedByTagValue)
}
