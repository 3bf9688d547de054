using Draw.Dicom.Core;
using Draw.Dicom.Imaging;
using Draw.Dicom.IO;
using Draw.Dicom.Tests.Rt;
using Draw.Testing;

namespace Draw.Dicom.Tests.Imaging;

public sealed class PixelDecoderTests
{
    private static DicomDataset Image(int bitsAllocated, int bitsStored, bool signed, byte[] pixels, double? slope = null, double? intercept = null)
    {
        var ds = new DicomDataset();
        ds.SetValues(DicomTags.Rows, DicomVR.US, (ushort)1);
        ds.SetValues(DicomTags.Columns, DicomVR.US, (ushort)(pixels.Length / (bitsAllocated / 8)));
        ds.SetValues(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.SetString(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.SetValues(DicomTags.BitsAllocated, DicomVR.US, (ushort)bitsAllocated);
        ds.SetValues(DicomTags.BitsStored, DicomVR.US, (ushort)bitsStored);
        ds.SetValues(DicomTags.HighBit, DicomVR.US, (ushort)(bitsStored - 1));
        ds.SetValues(DicomTags.PixelRepresentation, DicomVR.US, (ushort)(signed ? 1 : 0));
        if (slope is not null)
        {
            ds.SetDecimalString(DicomTags.RescaleSlope, slope.Value);
            ds.SetDecimalString(DicomTags.RescaleIntercept, intercept ?? 0);
        }

        ds.SetBytes(DicomTags.PixelData, bitsAllocated == 8 ? DicomVR.OB : DicomVR.OW, pixels);
        return ds;
    }

    private static float[] Decode(DicomDataset ds)
    {
        var n = ds.GetInt32(DicomTags.Columns)!.Value;
        var result = new float[n];
        PixelDecoder.DecodeRescaled(ds, result);
        return result;
    }

    [Fact]
    public void Unsigned_and_signed_16_bit_values_are_rescaled()
    {
        Assert.Equal([-1024f, 0f, 1000f], Decode(Image(16, 16, false, [0, 0, 0, 4, 0xE8, 0x07], 1, -1024)));
        Assert.Equal([-2f, 1f, -32768f], Decode(Image(16, 16, true, [0xFE, 0xFF, 1, 0, 0, 0x80])));
        Assert.Equal([-1.5f, 2.5f], Decode(Image(16, 16, false, [1, 0, 9, 0], 0.5, -2)));
    }

    [Fact]
    public void Bits_above_bits_stored_are_ignored_and_the_sign_comes_from_the_high_bit()
    {
        // 12 bits stored in 16: 0xF800 is -2048 when signed, and garbage in the top nibble is masked.
        Assert.Equal([-2048f, 2047f], Decode(Image(16, 12, true, [0x00, 0xF8, 0xFF, 0x07])));
        Assert.Equal([2048f, 4095f], Decode(Image(16, 12, false, [0x00, 0xF8, 0xFF, 0xFF])));
    }

    [Fact]
    public void Eight_bit_pixels_decode()
    {
        Assert.Equal([0f, 255f], Decode(Image(8, 8, false, [0, 255])));
        Assert.Equal([0f, -1f], Decode(Image(8, 8, true, [0, 255])));
        var shorts = new short[2];
        PixelDecoder.DecodeRescaled(Image(8, 8, false, [10, 20], 100, -1000), shorts);
        Assert.Equal([(short)0, (short)1000], shorts);
    }

    [Fact]
    public void Big_endian_and_little_endian_copies_decode_to_the_same_values_and_compressed_pixels_are_refused()
    {
        const string Folder = "github-cornerstonejs-dicomParser/testImages/encapsulated/single-frame/";
        var le = DicomFile.Open(TestFiles.Sample(Folder + "CT1_UNC.explicit_little_endian.dcm")).Dataset;
        var be = DicomFile.Open(TestFiles.Sample("github-cornerstonejs-dicomParser/testImages/CT1_UNC.explicit_big_endian.dcm")).Dataset;
        var n = PixelDecoder.GetLayout(le).PixelsPerFrame;
        var a = new float[n];
        var b = new float[n];
        PixelDecoder.DecodeRescaled(le, a);
        PixelDecoder.DecodeRescaled(be, b);
        Assert.Equal(a, b);
        Assert.Contains(a, v => v != a[0]);

        var jpeg = DicomFile.Open(TestFiles.Sample(Folder + "CT1_UNC.not_fragmented_bot_jpeg_ls.80.dcm")).Dataset;
        var ex = Assert.Throws<DicomFormatException>(() => PixelDecoder.DecodeRescaled(jpeg, a, 0, "jpeg.dcm"));
        Assert.Contains("compressed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("jpeg.dcm", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class VolumeLoaderTests
{
    private const string MrFolder = "github-mirp-STS_001-MR_T2/test/data/sts_images_raw/STS_001/MR_T2/image";

    [Fact]
    public void Lung1_loads_as_134_sorted_slices_in_hounsfield_units()
    {
        var v = Lung1Data.Volume;
        Assert.Equal("CT", v.Modality);
        Assert.Equal((512, 512, 134), (v.Columns, v.Rows, v.Slices));
        Assert.Equal(0.9765625, v.Geometry.RowSpacing);
        Assert.NotNull(v.Geometry.FrameOfReferenceUid);
        for (var k = 1; k < v.Slices; k++)
        {
            Assert.Equal(3.0, v.Geometry.SlicePositions[k] - v.Geometry.SlicePositions[k - 1], 6);
        }

        // Slice files are named from the top down: 1-001 is the most superior.
        Assert.EndsWith("1-001.dcm", v.Files[^1], StringComparison.Ordinal);
        Assert.Equal(v.Geometry.Images[0].SopInstanceUid, DicomFile.OpenHeader(v.Files[0]).Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.DoesNotContain(v.Header, e => e.Tag == DicomTags.PixelData);

        // Air in the corners of the middle slice, soft tissue at the centre.
        var mid = v.Slice(67);
        Assert.InRange(mid[(5 * 512) + 5], -1100f, -900f);
        Assert.InRange(v.Voxels.Min(), -3100f, -990f);
        Assert.InRange(v.Voxels.Max(), 1000f, 4000f);
    }

    [Fact]
    public void Mr_loads_sorted_along_its_slightly_oblique_normal()
    {
        var files = Directory.GetFiles(Path.Combine(TestFiles.SamplesFolder, MrFolder), "*.dcm");
        var v = VolumeLoader.Load(files);
        Assert.Equal("MR", v.Modality);
        Assert.Equal((384, 384, 40), (v.Columns, v.Rows, v.Slices));
        Assert.True(v.Geometry.SliceSpacing > 0);
        Assert.True(v.Voxels.Max() > 100);
    }

    [Fact]
    public void Inconsistent_input_is_refused_with_the_file_named()
    {
        var ct = Lung1Data.ImageFiles;
        var mr = Directory.GetFiles(Path.Combine(TestFiles.SamplesFolder, MrFolder), "*.dcm");
        var mixed = Assert.Throws<ImageVolumeException>(() => VolumeLoader.Load([ct[0], ct[1], mr[0]]));
        Assert.Contains(Path.GetFileName(mr[0]), mixed.Message, StringComparison.Ordinal);

        var duplicate = Assert.Throws<ImageVolumeException>(() => VolumeLoader.Load([ct[0], ct[1], ct[0]]));
        Assert.Contains("same position", duplicate.Message, StringComparison.Ordinal);

        var jpeg = TestFiles.Sample("github-cornerstonejs-dicomParser/testImages/encapsulated/single-frame/CT1_UNC.not_fragmented_bot_jpeg_ls.80.dcm");
        var compressed = Assert.Throws<ImageVolumeException>(() => VolumeLoader.Load([jpeg]));
        Assert.Contains("compressed", compressed.Message, StringComparison.Ordinal);

        Assert.Throws<ImageVolumeException>(() => VolumeLoader.Load([Lung1Data.RtStructPath]));
    }

    [Fact]
    public void A_slice_with_another_orientation_or_size_is_refused()
    {
        using var temp = new TempFolder("draw-volume");
        var files = Lung1Data.ImageFiles.Take(3).Select((f, i) =>
        {
            var copy = Path.Combine(temp.Path, $"{i}.dcm");
            File.Copy(f, copy);
            return copy;
        }).ToList();
        var tilted = DicomFile.Open(files[2]);
        tilted.Dataset.SetDecimalString(DicomTags.ImageOrientationPatient, 1, 0, 0, 0, 0.99, 0.141067);
        tilted.Save(files[2]);
        var ex = Assert.Throws<ImageVolumeException>(() => VolumeLoader.Load(files));
        Assert.Contains("ImageOrientationPatient", ex.Message, StringComparison.Ordinal);

        var small = DicomFile.Open(files[1]);
        small.Dataset.SetValues(DicomTags.Rows, DicomVR.US, (ushort)256);
        small.Save(files[1]);
        ex = Assert.Throws<ImageVolumeException>(() => VolumeLoader.Load(files.Take(2)));
        Assert.Contains("size", ex.Message, StringComparison.Ordinal);
    }
}
