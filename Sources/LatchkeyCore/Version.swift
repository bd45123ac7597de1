public enum LatchkeyCoreVersion { public static let string = "0.1.0" }
