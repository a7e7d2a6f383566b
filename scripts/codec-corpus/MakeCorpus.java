// Writes compressed test cases with the codecs Spark itself uses for event logs — Spark's own
// CompressionCodec classes (zstd-jni, lz4-java, snappy-java, compress-lzf), through the same
// compressedContinuousOutputStream that EventLoggingListener writes with, flushing at random
// points as Spark does after events — and a manifest of each original's length and XXH64.
//
//   java -cp "$SPARK_HOME/jars/*" MakeCorpus.java OUT_DIR SEED CASES MAX_SIZE
//   java -cp "$SPARK_HOME/jars/*" MakeCorpus.java --hash FILE...      (XXH64 of files, for zstd CLI cases)
//
// Run by scripts/make-codec-corpus.sh (the committed corpus) and scripts/fuzz-codecs.sh.
import java.io.*;
import java.nio.file.*;
import java.util.*;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.io.CompressionCodec;
import org.apache.spark.io.CompressionCodec$;

public class MakeCorpus {
    static final String[] CODECS = {"zstd", "lz4", "snappy", "lzf"};

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--hash")) {
            for (int i = 1; i < args.length; i++) {
                byte[] data = Files.readAllBytes(Paths.get(args[i]));
                System.out.println(args[i] + " " + data.length + " " + xxh64(data));
            }
            return;
        }
        Path out = Paths.get(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        int cases = Integer.parseInt(args[2]);
        int maxSize = Integer.parseInt(args[3]);
        Files.createDirectories(out);
        try (PrintWriter manifest = new PrintWriter(new FileWriter(out.resolve("manifest.txt").toFile(), true))) {
            for (int i = 0; i < cases; i++) {
                String codec = CODECS[i % CODECS.length];
                SparkConf conf = new SparkConf(false);
                String setting = configure(codec, conf, random);
                byte[] data = generate(random, sizeFor(random, maxSize));
                String name = String.format("case-%s-%d-%d.%s", args[1], i, data.length, codec);
                CompressionCodec c = CompressionCodec$.MODULE$.createCodec(conf, codec);
                try (OutputStream file = new FileOutputStream(out.resolve(name).toFile());
                     OutputStream os = c.compressedContinuousOutputStream(file)) {
                    int at = 0;
                    while (at < data.length) {
                        int n = Math.min(data.length - at, 1 + random.nextInt(random.nextBoolean() ? 200 : 70000));
                        os.write(data, at, n);
                        at += n;
                        if (random.nextInt(4) == 0) os.flush();
                    }
                }
                manifest.println(name + " " + codec + " " + data.length + " " + xxh64(data) + " " + setting);
            }
        }
    }

    /** Picks the codec's level or block size the way a Spark user may set it. */
    static String configure(String codec, SparkConf conf, Random random) {
        switch (codec) {
            case "zstd": {
                int[] levels = {1, 1, 3, 6, 12, 19};
                int level = levels[random.nextInt(levels.length)];
                conf.set("spark.io.compression.zstd.level", Integer.toString(level));
                return "level=" + level;
            }
            case "lz4": {
                String[] sizes = {"32k", "64k", "1m"};
                String size = sizes[random.nextInt(sizes.length)];
                conf.set("spark.io.compression.lz4.blockSize", size);
                return "blockSize=" + size;
            }
            case "snappy": {
                String[] sizes = {"32k", "256k"};
                String size = sizes[random.nextInt(sizes.length)];
                conf.set("spark.io.compression.snappy.blockSize", size);
                return "blockSize=" + size;
            }
            default:
                return "-";
        }
    }

    static int sizeFor(Random random, int maxSize) {
        int[] small = {0, 1, 2, 3, 7, 16, 100};
        if (random.nextInt(6) == 0) return small[random.nextInt(small.length)];
        return random.nextInt(Math.max(1, maxSize));
    }

    /** Event-log-like JSON lines, incompressible bytes, long runs, or a mix of them. */
    static byte[] generate(Random random, int size) {
        int kind = random.nextInt(4);
        if (kind == 1) size = Math.min(size, 20000);  // incompressible: stored blocks, kept small
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        while (out.size() < size) {
            int k = kind == 3 ? random.nextInt(3) : kind;
            int piece = Math.min(size - out.size(), 1 + random.nextInt(4096));
            if (k == 0) {
                String line = "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":" + random.nextInt(50)
                    + ",\"Task Info\":{\"Task ID\":" + random.nextInt(100000) + ",\"Executor ID\":\"" + random.nextInt(8)
                    + "\",\"Launch Time\":" + (1700000000000L + random.nextInt(1000000)) + "}}\n";
                byte[] b = line.getBytes();
                out.write(b, 0, Math.min(b.length, piece));
            } else if (k == 1) {
                byte[] b = new byte[piece];
                random.nextBytes(b);
                out.write(b, 0, piece);
            } else {
                byte v = (byte) random.nextInt(256);
                for (int j = 0; j < piece; j++) out.write(v);
            }
        }
        return out.toByteArray();
    }

    static String xxh64(byte[] data) {
        return String.format("%016x", XXHashFactory.fastestJavaInstance().hash64().hash(data, 0, data.length, 0));
    }
}
