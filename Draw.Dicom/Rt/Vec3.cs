namespace Draw.Dicom.Rt;

/// <summary>A point or direction in patient coordinates (mm): x towards the patient's left, y posterior, z superior (PS3.3 C.7.6.2.1.1).</summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    public static Vec3 operator *(double s, Vec3 a) => a * s;

    public double Length => Math.Sqrt(Dot(this, this));

    public static double Dot(Vec3 a, Vec3 b) => (a.X * b.X) + (a.Y * b.Y) + (a.Z * b.Z);

    public static Vec3 Cross(Vec3 a, Vec3 b) => new((a.Y * b.Z) - (a.Z * b.Y), (a.Z * b.X) - (a.X * b.Z), (a.X * b.Y) - (a.Y * b.X));

    public Vec3 Normalized()
    {
        var l = Length;
        return l > 0 ? this * (1 / l) : this;
    }

    public static Vec3 Add(Vec3 a, Vec3 b) => a + b;

    public static Vec3 Subtract(Vec3 a, Vec3 b) => a - b;

    public static Vec3 Multiply(Vec3 a, double s) => a * s;
}
