package interop

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func s3Client(cfg aws.Config, pathStyle bool) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = pathStyle
		if !pathStyle {
			o.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: LocalhostDialer()}}
		}
	})
}

// The object basics with the SDK's default checksums (CRC32 on PutObject,
// aws-chunked trailers when the body is a stream), path-style and
// virtual-hosted-style (bucket.localhost:port).
func TestS3ObjectLifecycle(t *testing.T) {
	for _, style := range []string{"path", "virtual"} {
		t.Run(style, func(t *testing.T) {
			eachTarget(t, "s3", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
				if style == "virtual" {
					// Virtual-hosted style needs a host the bucket can prefix.
					cfg.BaseEndpoint = aws.String(strings.Replace(tg.url, "127.0.0.1", "localhost", 1))
				}
				c := s3Client(cfg, style == "path")
				bucket := uniq("go-" + style)
				must(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})).ok(t)
				must(c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket})).ok(t)

				body := []byte("hello, fakecloud\n")
				sum := md5.Sum(body)
				put := must(c.PutObject(ctx, &s3.PutObjectInput{
					Bucket: &bucket, Key: aws.String("dir/a b+c.txt"), Body: bytes.NewReader(body),
					ContentType: aws.String("text/plain"), Metadata: map[string]string{"owner": "interop"},
				})).ok(t)
				if want := `"` + hex.EncodeToString(sum[:]) + `"`; aws.ToString(put.ETag) != want {
					t.Errorf("PutObject ETag = %s, want %s", aws.ToString(put.ETag), want)
				}

				get := must(c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("dir/a b+c.txt")})).ok(t)
				got, err := io.ReadAll(get.Body)
				get.Body.Close()
				if err != nil || !bytes.Equal(got, body) {
					t.Fatalf("GetObject body = %q, %v", got, err)
				}
				if aws.ToString(get.ContentType) != "text/plain" || get.Metadata["owner"] != "interop" {
					t.Errorf("GetObject ContentType=%q Metadata=%v", aws.ToString(get.ContentType), get.Metadata)
				}
				if aws.ToInt64(get.ContentLength) != int64(len(body)) {
					t.Errorf("ContentLength = %d", aws.ToInt64(get.ContentLength))
				}

				rng := must(c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("dir/a b+c.txt"), Range: aws.String("bytes=0-4")})).ok(t)
				part, _ := io.ReadAll(rng.Body)
				rng.Body.Close()
				if string(part) != "hello" || aws.ToString(rng.ContentRange) != fmt.Sprintf("bytes 0-4/%d", len(body)) {
					t.Errorf("ranged GetObject = %q, Content-Range %q", part, aws.ToString(rng.ContentRange))
				}

				head := must(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String("dir/a b+c.txt")})).ok(t)
				if aws.ToString(head.ETag) != aws.ToString(put.ETag) {
					t.Errorf("HeadObject ETag %s != PutObject ETag %s", aws.ToString(head.ETag), aws.ToString(put.ETag))
				}

				must(c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: &bucket, Key: aws.String("copy.txt"), CopySource: aws.String(bucket + "/dir/a%20b%2Bc.txt")})).ok(t)
				list := must(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket})).ok(t)
				var keys []string
				for _, o := range list.Contents {
					keys = append(keys, aws.ToString(o.Key))
				}
				if fmt.Sprint(keys) != "[copy.txt dir/a b+c.txt]" {
					t.Errorf("ListObjectsV2 keys = %q", keys)
				}
				delim := must(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Delimiter: aws.String("/")})).ok(t)
				if len(delim.CommonPrefixes) != 1 || aws.ToString(delim.CommonPrefixes[0].Prefix) != "dir/" || len(delim.Contents) != 1 {
					t.Errorf("ListObjectsV2 with delimiter: prefixes=%v contents=%d", delim.CommonPrefixes, len(delim.Contents))
				}

				_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("missing")})
				var nsk *types.NoSuchKey
				if !errors.As(err, &nsk) {
					t.Errorf("GetObject of a missing key: %v, want NoSuchKey", err)
				}

				del := must(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &bucket, Delete: &types.Delete{Objects: []types.ObjectIdentifier{
					{Key: aws.String("copy.txt")}, {Key: aws.String("dir/a b+c.txt")},
				}}})).ok(t)
				if len(del.Deleted) != 2 || len(del.Errors) != 0 {
					t.Errorf("DeleteObjects deleted %d, errors %v", len(del.Deleted), del.Errors)
				}
				must(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket})).ok(t)
				_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket})
				var nf *types.NotFound
				if !errors.As(err, &nf) {
					t.Errorf("HeadBucket after DeleteBucket: %v, want NotFound", err)
				}
			})
		})
	}
}

// Deleting a bucket that still holds objects fails with BucketNotEmpty (409).
func TestS3DeleteNonEmptyBucketIsBucketNotEmpty(t *testing.T) {
	eachTarget(t, "s3", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := s3Client(cfg, true)
		bucket := uniq("go-nonempty")
		must(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})).ok(t)
		must(c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("k"), Body: strings.NewReader("v")})).ok(t)
		_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket})
		if code, status := apiErr(err); code != "BucketNotEmpty" || status != 409 {
			t.Fatalf("DeleteBucket of a non-empty bucket: %v, want BucketNotEmpty 409", err)
		}
	})
}

// The transfer manager uploads a 12 MiB stream as three 5 MiB-or-less
// parts (multipart, ETag "<md5 of part md5s>-3") and downloads it back with
// concurrent ranged GETs.
func TestS3ManagerMultipartRoundTrip(t *testing.T) {
	eachTarget(t, "s3", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := s3Client(cfg, true)
		bucket := uniq("go-manager")
		must(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})).ok(t)
		data := make([]byte, 12<<20)
		for i := range data {
			data[i] = byte(i*7 + i>>13)
		}
		up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = 5 << 20 })
		res := must(up.Upload(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("big.bin"), Body: bytes.NewReader(data)})).ok(t)
		if res.UploadID == "" {
			t.Errorf("upload was not multipart")
		}
		var md5s []byte
		for off := 0; off < len(data); off += 5 << 20 {
			s := md5.Sum(data[off:min(off+5<<20, len(data))])
			md5s = append(md5s, s[:]...)
		}
		all := md5.Sum(md5s)
		if want := `"` + hex.EncodeToString(all[:]) + `-3"`; aws.ToString(res.ETag) != want {
			t.Errorf("multipart ETag = %s, want %s", aws.ToString(res.ETag), want)
		}

		down := manager.NewDownloader(c, func(d *manager.Downloader) { d.PartSize = 4 << 20 })
		buf := manager.NewWriteAtBuffer(nil)
		n := must(down.Download(ctx, buf, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("big.bin")})).ok(t)
		if n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("downloaded %d bytes, equal=%v", n, bytes.Equal(buf.Bytes(), data))
		}
		head := must(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String("big.bin")})).ok(t)
		gap(t, "s3-head-content-length", aws.ToInt64(head.ContentLength) == int64(len(data)),
			"HeadObject ContentLength = %d, want %d", aws.ToInt64(head.ContentLength), len(data))
	})
}

// A presigned GET URL works with a plain HTTP client.
func TestS3PresignedGet(t *testing.T) {
	eachTarget(t, "s3", func(t *testing.T, ctx context.Context, cfg aws.Config, tg target) {
		c := s3Client(cfg, true)
		bucket := uniq("go-presign")
		must(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})).ok(t)
		must(c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("p.txt"), Body: strings.NewReader("presigned")})).ok(t)
		req := must(s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("p.txt")})).ok(t)
		resp, err := http.Get(req.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != "presigned" {
			t.Errorf("GET presigned URL: %d %q", resp.StatusCode, b)
		}
	})
}
