package import Foundation

/// Reads a JSON configuration file into its type, turning every failure into one
/// `ConfigurationFileError` that names the file and, for a bad key or value, its path.
package enum ConfigurationFile {
  /// The decoded file.
  /// - Throws: `ConfigurationFileError`; an unknown key anywhere in the document is refused.
  package static func load<Value: Decodable>(_: Value.Type, path: String)
    throws(ConfigurationFileError) -> Value
  {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw ConfigurationFileError(
        file: path, problem: .unreadable(reason: error.localizedDescription))
    }
    return try decode(Value.self, from: data, file: path)
  }

  /// Decodes `data` as the contents of `file`.
  /// - Throws: `ConfigurationFileError` naming `file`.
  package static func decode<Value: Decodable>(_: Value.Type, from data: Data, file: String)
    throws(ConfigurationFileError) -> Value
  {
    do {
      return try JSONDecoder().decode(Value.self, from: data)
    } catch let problem as ConfigurationProblem {
      throw ConfigurationFileError(file: file, problem: problem)
    } catch let error as DecodingError {
      throw ConfigurationFileError(file: file, problem: ConfigurationProblem(error))
    } catch {
      throw ConfigurationFileError(file: file, problem: .invalidValue(path: "", reason: "\(error)"))
    }
  }
}
