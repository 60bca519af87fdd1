from authlib.oauth2.rfc6749 import OAuth2Error as OAuth2Error
